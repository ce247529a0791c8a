#!/usr/bin/env bash
# The one device call (NVIDIA H100/H200, bare, offline). Prerequisite, on the development machine:
#   bash bench/gpu/prepare.sh            # builds .gpu-carry/ (node, bundled bench, Dawn, Vulkan loader)
# then run with carry ['.gpu-carry'] and command 'bash bench/gpu/run.sh' (timeout ~300 s).
# Prints the GPU and adapter, the 2048² and 4096² time-stepping benchmark and the Cole–Hopf /
# Hopf–Lax passes on hardware WebGPU against the float64 CPU reference, and the agreement checks.
# Exit: 0 all agree; 1 a disagreement; 2 nothing carried; 3 no hardware WebGPU adapter.
set -uo pipefail
cd "$(dirname "$0")/../.."
C=.gpu-carry
[ -f "$C/h100.mjs" ] || { echo "run.sh: $C/h100.mjs missing: run bench/gpu/prepare.sh here and carry '.gpu-carry'"; exit 2; }
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv 2>/dev/null || echo "nvidia-smi: not found"
xz -dc "$C/dawn.node.xz" > "$C/node_modules/webgpu/dist/linux-x64/dawn.node"
# GPU_RUN_REHEARSAL=1 (development machine): install nothing into /, accept the software adapter.
if [ -z "${GPU_RUN_REHEARSAL:-}" ] && ! { ldconfig -p | grep -q 'libvulkan.so.1' && ldconfig -p | grep -q 'libGLdispatch.so.0'; }; then
  for f in "$C"/debs/*.deb; do dpkg -x "$f" /; done
  ldconfig
fi
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES="$icd"
egl=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
[ -f "$egl" ] && export __EGL_VENDOR_LIBRARY_FILENAMES="$egl"
mkdir -p /tmp/gpu-node && xz -dc "$C/node.xz" > /tmp/gpu-node/node && chmod +x /tmp/gpu-node/node
log="${OUT:-/tmp}/gpu-bench.log"
extra=(); [ -n "${GPU_RUN_REHEARSAL:-}" ] && extra=(--allow-software --sizes=128,256)
(cd "$C" && timeout 540 /tmp/gpu-node/node h100.mjs "${extra[@]}" "$@") 2>&1 | grep -v -E '^Warning: (maxDynamic|Couldn.t load)|^    at operator' | tee "$log"
exit "${PIPESTATUS[0]}"
