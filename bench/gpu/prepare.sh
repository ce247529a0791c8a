#!/usr/bin/env bash
# Run HERE (the development machine: npm ci done, Debian's apt reachable) before the device call.
# The device machine starts bare, has no network and no Node.js (its image is CUDA + Python), and
# node_modules is git-ignored, so everything the check needs is packed into .gpu-carry/ (ignored
# via .git/info/exclude), which the device call names in `carry`:
#   node.xz        this machine's node binary (x86-64), xz-compressed
#   h100.mjs       bench/gpu/h100.ts bundled with src/ and gpu.js (esbuild); only webgpu stays external
#   node_modules/webgpu + dawn.node.xz   Dawn for linux-x64 and its loader
#   debs/          the Vulkan loader (libvulkan1) and libglvnd (the NVIDIA ICD comes with the driver, needs it)
# Size: about 36 MiB (within the 64 MiB a device call may carry, tree included).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.gpu-carry
grep -qx '/.gpu-carry/' .git/info/exclude 2>/dev/null || echo '/.gpu-carry/' >> .git/info/exclude
rm -rf "$out"
mkdir -p "$out/node_modules/webgpu/dist/linux-x64" "$out/debs"
xz -T2 -1 -c "$(readlink -f "$(command -v node)")" > "$out/node.xz"
npx esbuild bench/gpu/h100.ts --bundle --platform=node --format=esm --target=node20 \
  --external:webgpu --outfile="$out/h100.mjs" --log-level=warning \
  --banner:js="import { createRequire as __createRequire } from 'module'; const require = __createRequire(import.meta.url);"
cp node_modules/webgpu/package.json node_modules/webgpu/index.js "$out/node_modules/webgpu/"
xz -T2 -1 -c node_modules/webgpu/dist/linux-x64/dawn.node > "$out/dawn.node.xz"
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64-lists'
mkdir -p /tmp/amd64-lists/partial
apt-get $o update -qq
# libGLX_nvidia.so.0 (the NVIDIA Vulkan ICD) needs libglvnd's dispatch libraries: without them the loader
# finds the ICD but "Found no drivers" (seen on the H100, 2026-11-27).
(cd "$out/debs" && apt-get $o download libvulkan1 libglvnd0 libegl1 libgl1 libglx0 libopengl0 libgles2 >/dev/null)
du -sh "$out"
echo "ready: call the device with carry ['.gpu-carry'] and command 'bash bench/gpu/run.sh'"
