#!/usr/bin/env bash
# The one device call: ours vs PyTorch on that machine's CPU (bench/device/nn-vs-torch.ts), then the
# WebGPU benchmark (bench/gpu/run.sh). Prepare with bench/device/prepare.sh, carry ['.gpu-carry'].
# Logs go to $OUT (gpu-bench.log, nn-vs-torch.log). Exit: the GPU bench's status, or 4 if only the NN part failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
C=.gpu-carry
log="${OUT:-/tmp}/nn-vs-torch.log"
mkdir -p /tmp/gpu-node && xz -dc "$C/node.xz" > /tmp/gpu-node/node && chmod +x /tmp/gpu-node/node
# The CPU comparison first: it is short, and its log comes back even if the GPU part runs out of time.
timeout 240 /tmp/gpu-node/node "$C/nn/nn-vs-torch.mjs" run "$C/nn/mnist-2048.f32.gz" "${NN_ROUNDS:-40}" 2>&1 | tee "$log"
nn=${PIPESTATUS[0]}
echo "== nn-vs-torch exit $nn"
bash bench/gpu/run.sh "$@"; gpu=$?
echo "== bench/gpu/run.sh exit $gpu"
[ "$gpu" -ne 0 ] && exit "$gpu"
[ "$nn" -ne 0 ] && exit 4
exit 0
