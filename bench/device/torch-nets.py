"""PyTorch CPU twin of bench/device/nn-vs-torch.ts: mnistfc and LeNet (src/nn/models.ts layer order),
one minibatch gradient (batch 128, drawn with replacement) = zero_grad + forward + cross entropy +
backward.

  python3 torch-nets.py DATA.gz --serve THREADS   prints a banner line, then for each request line
                                                  "mnistfc" or "lenet" times one gradient and answers
                                                  "wall_ms cpu_ms" (nn-vs-torch.ts interleaves these
                                                  requests with its own rounds)
"""
import gzip, os, sys, time
import numpy as np
import torch
from torch import nn

raw = gzip.open(sys.argv[1]).read()
n, px = (int(v) for v in np.frombuffer(raw[:8], dtype=np.int32))
images = torch.from_numpy(np.frombuffer(raw[8:8 + n * px * 4], dtype=np.float32).copy().reshape(n, 1, 28, 28))
labels = torch.from_numpy(np.frombuffer(raw[8 + n * px * 4:8 + n * px * 4 + n * 4], dtype=np.int32).astype(np.int64))


def mnistfc():
    p = 0.2
    return nn.Sequential(nn.Flatten(), nn.Dropout(p), nn.Linear(784, 1024), nn.ReLU(), nn.BatchNorm1d(1024), nn.Dropout(p),
                         nn.Linear(1024, 1024), nn.ReLU(), nn.Dropout(p), nn.BatchNorm1d(1024), nn.Linear(1024, 10))


def lenet():
    p = 0.25
    return nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(3), nn.BatchNorm2d(20), nn.Dropout(p),
                         nn.Conv2d(20, 50, 5), nn.ReLU(), nn.MaxPool2d(2), nn.BatchNorm2d(50), nn.Dropout(p),
                         nn.Flatten(), nn.Linear(200, 500), nn.ReLU(), nn.Dropout(p), nn.Linear(500, 10))


COUNTS = {"mnistfc": 1867786, "lenet": 131220}
gen = torch.Generator().manual_seed(1)
loss_fn = nn.CrossEntropyLoss()
models = {}
for name, build in (("mnistfc", mnistfc), ("lenet", lenet)):
    torch.manual_seed(1)
    models[name] = build().train()
    params = sum(p.numel() for p in models[name].parameters())
    assert params == COUNTS[name], f"{name}: {params} parameters, expected {COUNTS[name]}"


def timed_gradient(name):
    """One gradient of model `name`: (wall ms, CPU ms of this process)."""
    model = models[name]
    t0, c0 = time.perf_counter(), time.process_time()
    idx = torch.randint(0, n, (128,), generator=gen)
    model.zero_grad(set_to_none=True)
    loss = loss_fn(model(images[idx]), labels[idx])
    loss.backward()
    loss.item()
    return (time.perf_counter() - t0) * 1e3, (time.process_time() - c0) * 1e3


def banner():
    return (f"PyTorch {torch.__version__}, {os.cpu_count()} cores, MKL-DNN {torch.backends.mkldnn.is_available()}, "
            f"CPU capability {torch.backends.cpu.get_cpu_capability()}, OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'default')}")


if len(sys.argv) != 4 or sys.argv[2] != "--serve":
    sys.exit("usage: torch-nets.py DATA.gz --serve THREADS")
torch.set_num_threads(int(sys.argv[3]))
print(banner(), flush=True)
for line in sys.stdin:
    name = line.strip()
    if name not in models:
        print(f"unknown model {name!r}", file=sys.stderr, flush=True)
        break
    wall, used = timed_gradient(name)
    print(f"{wall:.4f} {used:.4f}", flush=True)
