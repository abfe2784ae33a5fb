#!/usr/bin/env bash
# Checks ganc's GPU route on this machine and times it; installs nothing and downloads nothing (it needs
# the `npm install` already done here, which brought the optional packages webgpu and
# @tensorflow/tfjs-backend-webgpu, and a Vulkan driver: NVIDIA's, AMD's or Intel's, or Mesa's lavapipe).
#   1. the adapter --backend webgpu trains on (vendor, architecture, software or not);
#   2. the PyTorch golden suite on webgpu (every case: losses, terms, gradients to third order);
#   3. ms per iteration of wgan-gp and sngan (DCGAN-MNIST, batch 64) for STEPS iterations (default 50)
#      after WARMUP warm-up ones (default 3), on webgpu and, for comparison, on ganc's CPU kernels.
# Meant to take under 5 minutes on a GPU (not measured: no GPU was available when it was written). On a
# software adapter step 3 is slow (lavapipe: 11-43 s per iteration): STEPS=1 WARMUP=1 scripts/gpu-check.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${STEPS:-50}
warmup=${WARMUP:-3}
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
for pkg in webgpu @tensorflow/tfjs-backend-webgpu tsx vitest; do
  if ! node -e "require.resolve('$pkg/package.json')" 2>/dev/null; then
    echo "gpu-check: the package $pkg is not installed here (npm install first; this script installs nothing)" >&2
    exit 1
  fi
done
ganc() { node --import tsx test/helpers/ganc-cli.ts "$@"; }
started=$(date +%s)

echo "== adapter"
ganc info
ganc info --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{if(JSON.parse(s).webgpu.unavailable){console.error("gpu-check: no WebGPU adapter; stopping");process.exit(1)}})'

echo "== PyTorch golden suite on webgpu"
GANC_TEST_BACKEND=webgpu npx vitest run test/runtime/torch-golden.test.ts

echo "== ms per iteration, $steps iterations after $warmup warm-up (median, best)"
for spec in wgan-gp sngan; do
  for backend in webgpu ganc; do
    npx tsx bench/train-one.ts --spec "$spec" --backend "$backend" --steps "$steps" --warmup "$warmup" --profile-steps 0 |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s.trim().split("\n").pop());const a=r.backend_info.adapter;console.log(`${r.spec.padEnd(8)} ${r.backend.padEnd(7)} median ${r.ms.median.toFixed(1)} ms  best ${r.ms.best.toFixed(1)} ms  (${r.steps} steps, batch ${r.batch})${a?`  on ${a.vendor} ${a.description||a.device}${a.software?" (software)":""}`:""}`)})'
  done
done
echo "gpu-check: done in $(( $(date +%s) - started )) s"
