// `npm run bench`: trains each benchmark spec for a fixed number of iterations after warm-up on each
// backend, every configuration in its own process (so peak RSS is its own), and prints ms/iteration
// (median, best), the hot kernels' GFLOP/s, a per-kernel breakdown and peak RSS. Writes
// bench/results/train-bench.json.
//   npm run bench -- [--steps 20] [--warmup 3] [--specs wgan,wgan-gp] [--backends ganc,cpu]
//                    [--slow-steps 2] [--profile-steps 3] [--out FILE]
// Slow configurations (ganc's portable kernels, stock cpu and wasm: seconds to a minute per DCGAN
// iteration) run the DCGAN specs for --slow-steps iterations after one warm-up; stock cpu and wasm run
// them only when --backends names them.
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_BACKENDS, benchBackendNames } from './bench-backends.js';
import { BENCH_SPECS, benchSpecNames } from './bench-specs.js';
import { REPO_ROOT, runGancChild } from './child-run.js';
import { breakdownTable, summaryTable, type ConfigurationOutcome } from './report-tables.js';
import { writeBenchResults } from './results-file.js';
import type { TrainRunResult } from './train-one.js';

const DEFAULT_BACKENDS = 'ganc,ganc-portable,wasm,cpu';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    specs: { type: 'string', default: Object.keys(BENCH_SPECS).filter((name) => !BENCH_SPECS[name].long).join(',') },
    backends: { type: 'string' },
    'slow-steps': { type: 'string', default: '2' },
    'profile-steps': { type: 'string', default: '3' },
    out: { type: 'string', default: resolve(REPO_ROOT, 'bench/results/train-bench.json') },
  },
});

interface Plan { spec: string; backend: string; steps: number; warmup: number }

function plan(): Plan[] {
  const specs = benchSpecNames(args.specs!);
  const backends = benchBackendNames(args.backends ?? DEFAULT_BACKENDS);
  const named = new Set(args.backends ? backends : ['ganc', 'ganc-portable']);
  const out: Plan[] = [];
  for (const spec of specs) {
    for (const backend of backends) {
      const slow = BENCH_SPECS[spec].heavy && BENCH_BACKENDS[backend].slow;
      if (slow && !named.has(backend)) continue;
      out.push(slow
        ? { spec, backend, steps: Number(args['slow-steps']), warmup: Math.min(1, Number(args.warmup)) }
        : { spec, backend, steps: Number(args.steps), warmup: Number(args.warmup) });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const loadBefore = loadavg();
  const outcomes: ConfigurationOutcome[] = [];
  for (const { spec, backend, steps, warmup } of plan()) {
    process.stderr.write(`bench: ${spec} on ${backend}, ${warmup} warm-up + ${steps} steps ...\n`);
    const outcome = await runGancChild<TrainRunResult>(
      ['--spec', spec, '--backend', backend, '--steps', String(steps), '--warmup', String(warmup), '--profile-steps', args['profile-steps']!],
      BENCH_BACKENDS[backend].env);
    outcomes.push({ spec, backend, outcome });
  }
  const loadAfter = loadavg();

  console.log('ms per iteration (one iteration = ndis D steps + one G step), wall time; CPU ms: user + system of all threads (median)');
  console.log(`GF/s and "in kernels" from ${args['profile-steps']} further iterations under the kernel profile`);
  console.log(`load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores\n`);
  console.log(summaryTable(outcomes));
  for (const { spec, backend, outcome } of outcomes) {
    if (!outcome.ok || !outcome.result.profile) continue;
    console.log(`\n${spec} on ${backend}: where an iteration's time goes`);
    console.log(breakdownTable(outcome.result));
  }

  writeBenchResults(args.out!, { before: loadBefore, after: loadAfter }, {
    options: { steps: Number(args.steps), warmup: Number(args.warmup), slowSteps: Number(args['slow-steps']), profileSteps: Number(args['profile-steps']) },
    results: outcomes.map(({ spec, backend, outcome }) => (outcome.ok ? outcome.result : { spec, backend, error: outcome.error })),
  });
}

await main();
