"""PyTorch CPU twin of bench/device/nn-vs-torch.ts: mnistfc and LeNet (src/nn/models.ts layer order),
one minibatch gradient (batch 128, drawn with replacement) = zero_grad + forward + cross entropy +
backward, timed at 1, 2 and all threads; prints RESULT lines like the Node side."""
import gzip, os, statistics, sys, time
import numpy as np
import torch
from torch import nn

raw = gzip.open(sys.argv[1]).read()
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 40
n, px = np.frombuffer(raw[:8], dtype=np.int32)
images = torch.from_numpy(np.frombuffer(raw[8:8 + n * px * 4], dtype=np.float32).copy().reshape(n, 1, 28, 28))
labels = torch.from_numpy(np.frombuffer(raw[8 + n * px * 4:8 + n * px * 4 + n * 4], dtype=np.int32).astype(np.int64))
print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads available, MKL-DNN {torch.backends.mkldnn.is_available()}, CPU capability {torch.backends.cpu.get_cpu_capability()}")

def mnistfc():
    p = 0.2
    return nn.Sequential(nn.Flatten(), nn.Dropout(p), nn.Linear(784, 1024), nn.ReLU(), nn.BatchNorm1d(1024), nn.Dropout(p),
                         nn.Linear(1024, 1024), nn.ReLU(), nn.Dropout(p), nn.BatchNorm1d(1024), nn.Linear(1024, 10))

def lenet():
    p = 0.25
    return nn.Sequential(nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(3), nn.BatchNorm2d(20), nn.Dropout(p),
                         nn.Conv2d(20, 50, 5), nn.ReLU(), nn.MaxPool2d(2), nn.BatchNorm2d(50), nn.Dropout(p),
                         nn.Flatten(), nn.Linear(200, 500), nn.ReLU(), nn.Dropout(p), nn.Linear(500, 10))

counts = {"mnistfc": 1867786, "lenet": 131220}
gen = torch.Generator().manual_seed(1)
loss_fn = nn.CrossEntropyLoss()
for name, build in (("mnistfc", mnistfc), ("lenet", lenet)):
    torch.manual_seed(1)
    model = build().train()
    params = sum(p.numel() for p in model.parameters())
    assert params == counts[name], f"{name}: {params} parameters, expected {counts[name]}"

    def gradient():
        idx = torch.randint(0, int(n), (128,), generator=gen)
        model.zero_grad(set_to_none=True)
        loss = loss_fn(model(images[idx]), labels[idx])
        loss.backward()
        return loss.item()

    for threads in sorted({1, 2, os.cpu_count() or 1}):
        torch.set_num_threads(threads)
        for _ in range(5):
            gradient()
        wall, used = [], []
        for _ in range(rounds):
            t0, c0 = time.perf_counter(), time.process_time()
            gradient()
            wall.append((time.perf_counter() - t0) * 1e3); used.append((time.process_time() - c0) * 1e3)
        print(f"RESULT {name} | PyTorch {threads} thread{'s' if threads > 1 else ''} | wall ms min {min(wall):.2f} median {statistics.median(wall):.2f} | CPU ms min {min(used):.2f} median {statistics.median(used):.2f}", flush=True)
