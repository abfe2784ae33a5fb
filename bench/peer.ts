// `npm run bench:peer`: ganc against its PyTorch peer (bench/torch_peer.py) on the DCGAN-MNIST specs.
// The machine is shared, so the two alternate (ganc, torch, ganc, torch, ... for several rounds, each
// run in its own process) and the table gives ratios within the same rounds: ms/iteration ganc/PyTorch
// per spec, and peak RSS of a long run (--rss-steps). Writes bench/results/peer.json.
//   npm run bench:peer -- [--rounds 3] [--steps 20] [--warmup 3] [--specs wgan,wgan-gp,sngan,pgn]
//                         [--rss-steps 500] [--rss-spec wgan-gp] [--threads 2] [--python /usr/bin/python3]
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { benchSpecNames, DCGAN_MNIST_SPECS } from './bench-specs.js';
import { REPO_ROOT, runGancChild, runJsonChild, type ChildOutcome } from './child-run.js';
import { formatTable } from './report-tables.js';
import { writeBenchResults } from './results-file.js';
import { median, type Timing } from './timing.js';

/** What both runners print: the fields the comparison reads. */
interface PeerRunResult {
  runner: 'ganc' | 'torch';
  spec: string;
  steps: number;
  ms: Timing;
  cpu_ms: Timing;
  peak_rss_mb: number;
  load: number[];
}

interface PeerRun {
  runner: 'ganc' | 'torch';
  spec: string;
  round: number;
  wall_s: number;
  outcome: ChildOutcome<PeerRunResult>;
}

const { values: args } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    steps: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    specs: { type: 'string', default: DCGAN_MNIST_SPECS.join(',') },
    'rss-steps': { type: 'string', default: '500' },
    'rss-spec': { type: 'string', default: 'wgan-gp' },
    threads: { type: 'string', default: '2' },
    python: { type: 'string', default: '/usr/bin/python3' },
    out: { type: 'string', default: resolve(REPO_ROOT, 'bench/results/peer.json') },
  },
});

async function timed(runner: 'ganc' | 'torch', spec: string, round: number, steps: number, warmup: number): Promise<PeerRun> {
  process.stderr.write(`peer: round ${round} ${runner} ${spec}, ${warmup} warm-up + ${steps} steps ...\n`);
  const common = ['--spec', spec, '--steps', String(steps), '--warmup', String(warmup)];
  const started = performance.now();
  const outcome = runner === 'ganc'
    ? await runGancChild<PeerRunResult>([...common, '--backend', 'ganc', '--profile-steps', '0'])
    : await runJsonChild<PeerRunResult>(args.python!, [join(REPO_ROOT, 'bench/torch_peer.py'), ...common, '--threads', args.threads!]);
  return { runner, spec, round, wall_s: (performance.now() - started) / 1000, outcome };
}

const results = (runs: PeerRun[], runner: string, spec: string): PeerRunResult[] =>
  runs.filter((r) => r.runner === runner && r.spec === spec && r.outcome.ok).map((r) => (r.outcome as { result: PeerRunResult }).result);

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

interface Side { median: number; best: number; cpuMedian: number }
interface SpeedRow { spec: string; ganc: Side; torch: Side; ratio: number; ratioBest: number; pairedRatio: number; cpuRatio: number }

/**
 * Best-of-rounds median and best iteration per runner, and the ratios; paired: the median of per-round
 * ratios; cpu: of the best-of-rounds CPU time per iteration (all threads), the work regardless of load.
 */
function speedRow(runs: PeerRun[], spec: string): SpeedRow {
  const side = (runner: string) => {
    const r = results(runs, runner, spec);
    return { median: Math.min(...r.map((x) => x.ms.median)), best: Math.min(...r.map((x) => x.ms.best)), cpuMedian: Math.min(...r.map((x) => x.cpu_ms.median)) };
  };
  const ganc = side('ganc');
  const torch = side('torch');
  const gancRounds = new Map(results(runs, 'ganc', spec).map((r, i) => [i, r.ms.median]));
  const paired = results(runs, 'torch', spec).flatMap((t, i) => (gancRounds.has(i) ? [gancRounds.get(i)! / t.ms.median] : []));
  return { spec, ganc, torch, ratio: ganc.median / torch.median, ratioBest: ganc.best / torch.best, pairedRatio: paired.length ? median(paired) : NaN,
    cpuRatio: ganc.cpuMedian / torch.cpuMedian };
}

async function main(): Promise<void> {
  const specs = benchSpecNames(args.specs!);
  const [rssSpec] = benchSpecNames(args['rss-spec']!);
  const rounds = Number(args.rounds);
  const rssSteps = Number(args['rss-steps']);
  const loadBefore = loadavg();

  const speedRuns: PeerRun[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const spec of specs) {
      for (const runner of ['ganc', 'torch'] as const) speedRuns.push(await timed(runner, spec, round, Number(args.steps), Number(args.warmup)));
    }
  }
  const rssRuns: PeerRun[] = [];
  if (rssSteps > 0) for (const runner of ['ganc', 'torch'] as const) rssRuns.push(await timed(runner, rssSpec, 1, rssSteps, 0));
  const loadAfter = loadavg();

  const failures = [...speedRuns, ...rssRuns].filter((r) => !r.outcome.ok);
  for (const f of failures) console.log(`FAILED round ${f.round} ${f.runner} ${f.spec}: ${(f.outcome as { error: string }).error}`);

  const rows = specs.map((spec) => speedRow(speedRuns, spec));
  console.log(`ganc (ganc backend, default configuration) vs PyTorch (torch_peer.py, ${args.threads} threads), ms per iteration;`);
  console.log(`${rounds} alternating rounds of ${args.warmup} warm-up + ${args.steps} steps; median = best round's median, best = best iteration`);
  console.log(`load average before ${loadBefore.map((l) => fixed(l, 2)).join(' ')}, after ${loadAfter.map((l) => fixed(l, 2)).join(' ')} on ${cpus().length} cores\n`);
  console.log(formatTable(
    ['spec', 'ganc median', 'ganc best', 'torch median', 'torch best', 'ratio (median)', 'ratio (best)', 'ratio (paired rounds)', 'CPU ms ganc', 'CPU ms torch', 'CPU ratio'],
    rows.map((r) => [r.spec, fixed(r.ganc.median), fixed(r.ganc.best), fixed(r.torch.median), fixed(r.torch.best),
      `${fixed(r.ratio, 2)}x`, `${fixed(r.ratioBest, 2)}x`, `${fixed(r.pairedRatio, 2)}x`,
      fixed(r.ganc.cpuMedian), fixed(r.torch.cpuMedian), `${fixed(r.cpuRatio, 2)}x`])));

  const rss = (runner: string) => rssRuns.find((r) => r.runner === runner && r.outcome.ok);
  const rssOf = (run: PeerRun | undefined) => (run?.outcome.ok ? run.outcome.result.peak_rss_mb : NaN);
  const rssRatio = rssOf(rss('ganc')) / rssOf(rss('torch'));
  if (rssSteps > 0) {
    console.log(`\npeak RSS of a ${rssSteps}-step ${rssSpec} run (each in its own process)`);
    console.log(formatTable(['runner', 'peak RSS MB', 'wall s', 'ms/iter median'],
      (['ganc', 'torch'] as const).map((runner) => {
        const run = rss(runner);
        return [runner, fixed(rssOf(run), 0), fixed(run?.wall_s ?? NaN), run?.outcome.ok ? fixed(run.outcome.result.ms.median) : 'failed'];
      })));
    console.log(`ratio ganc/PyTorch: ${fixed(rssRatio, 2)}x (target ≤ 1.5x)`);
  }
  const wganGp = rows.find((r) => r.spec === 'wgan-gp');
  if (wganGp) console.log(`wgan-gp ms/iteration ratio ganc/PyTorch: ${fixed(wganGp.ratio, 2)}x (target ≤ 1.0x, floor < 2.0x)`);

  writeBenchResults(args.out!, { before: loadBefore, after: loadAfter }, {
    options: { rounds, steps: Number(args.steps), warmup: Number(args.warmup), rssSteps, rssSpec, threads: Number(args.threads) },
    speed: rows,
    rss: rssSteps > 0 ? { spec: rssSpec, steps: rssSteps, ganc_mb: rssOf(rss('ganc')), torch_mb: rssOf(rss('torch')), ratio: rssRatio } : null,
    runs: [...speedRuns, ...rssRuns].map(({ outcome, ...run }) => ({ ...run, ...(outcome.ok ? { result: outcome.result } : { error: outcome.error }) })),
  });
}

await main();
