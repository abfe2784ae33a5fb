#!/usr/bin/env bash
# Trains every spec in specs/ for a fixed number of steps on the default backend and prints the wall time
# and final losses of each: the "every spec trains without NaN" check whose figures the project reports.
# Usage: scripts/train-all-specs.sh [STEPS=200] [OUT=/tmp/ganc-all-specs]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-200}
out=${2:-/tmp/ganc-all-specs}
npm run --silent build
printf '%-14s %8s %10s  %s\n' spec steps ms result
for spec in specs/*.gan; do
  start=$(date +%s%N)
  if result=$(CI=1 node bin/ganc.js train "$spec" --steps "$steps" --out "$out" 2>/tmp/ganc-train-err.log); then status=ok; else status="FAILED: $(tail -1 /tmp/ganc-train-err.log)"; fi
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  run=$(echo "$result" | sed -n 's/^run: //p')
  last=$(tail -1 "$run/metrics.jsonl" 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const e=JSON.parse(s);console.log(`loss_D ${e.losses.D.toFixed(4)} loss_G ${e.losses.G.toFixed(4)} ${JSON.stringify(e.quality??{})}`)}catch{console.log("")}})')
  printf '%-14s %8s %10s  %s %s\n' "$(basename "$spec" .gan)" "$steps" "$ms" "$status" "$last"
done
