// `npm run bench:peer`: ganc against its PyTorch peer (bench/torch_peer.py), each at 1 and 2 threads and PyTorch
// at 2 threads under both OpenMP wait policies (passive, and libgomp's default, which spins before it sleeps).
// The machine is shared, so every configuration runs in its own process and the configurations alternate within
// each round (ganc-1, torch-1, ganc-2, torch-2-passive, torch-2-default; next spec; next round). It prints ms per
// iteration and CPU ms per iteration of each configuration, the ratio of ganc's best configuration to PyTorch's
// best, the ratio at each thread count, ganc's 2-thread speed-up, issue 13's targets, and the peak RSS of a long
// run (--rss-steps). Writes bench/results/peer.json.
//   npm run bench:peer -- [--rounds 3] [--steps 20] [--warmup 3] [--specs wgan,wgan-gp,sngan,pgn,sngan-resnet]
//                         [--threads 1,2] [--policies passive,default] [--configs ganc-2,torch-2-default,...]
//                         [--long-steps 3] [--long-warmup 1] [--rss-steps 500] [--rss-spec wgan-gp]
//                         [--rss-configs ganc-2,torch-2-passive] [--python /usr/bin/python3] [--out FILE]
//                         [--child-timeout 900]  (seconds; a configuration still running then is killed, reported failed)
// The scaling table (long): the wgan-gp spec at batch 32/64/128/256 × D/G width ×1/×2/×4, every configuration;
// writes bench/results/peer-scaling.json.
//   npm run bench:peer -- --scaling [--batches 32,64,128,256] [--widths 1,2,4] [--scaling-spec wgan-gp]
//                         [--rounds 1] [--steps 5] [--warmup 1] [--configs ...]
// Specs marked `long` in bench-specs.ts (the SNGAN ResNet: seconds per iteration) run --long-steps timed
// iterations after --long-warmup instead of --steps and --warmup.
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_SPECS, benchSpecNames, PEER_SPECS } from './bench-specs.js';
import { REPO_ROOT, runGancChild, runJsonChild, type ChildOutcome } from './child-run.js';
import {
  issue13Checks, parseConfig, peerConfigs, summarizeCase, WAIT_POLICIES,
  type CaseSummary, type PeerConfig, type PeerMeasurement, type WaitPolicy,
} from './peer-summary.js';
import { formatTable } from './report-tables.js';
import { writeBenchResults } from './results-file.js';

/** What both runners print: the fields the comparison reads. */
interface PeerRunResult extends PeerMeasurement {
  runner: 'ganc' | 'torch';
  spec: string;
  batch: number;
  width: number;
  steps: number;
  peak_rss_mb: number;
  load: number[];
}

/** One measured setting: a bench spec, optionally at another batch size or width. */
interface PeerCase {
  key: string;
  spec: string;
  batch?: number;
  width?: number;
  steps: number;
  warmup: number;
}

interface PeerRun {
  config: string;
  case: string;
  round: number;
  wall_s: number;
  outcome: ChildOutcome<PeerRunResult>;
}

const { values: args } = parseArgs({
  options: {
    scaling: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    steps: { type: 'string' },
    warmup: { type: 'string' },
    specs: { type: 'string', default: PEER_SPECS.join(',') },
    threads: { type: 'string', default: '1,2' },
    policies: { type: 'string', default: 'passive,default' },
    configs: { type: 'string' },
    'long-steps': { type: 'string', default: '3' },
    'long-warmup': { type: 'string', default: '1' },
    'rss-steps': { type: 'string', default: '500' },
    'rss-spec': { type: 'string', default: 'wgan-gp' },
    'rss-configs': { type: 'string', default: 'ganc-2,torch-2-passive' },
    'scaling-spec': { type: 'string', default: 'wgan-gp' },
    batches: { type: 'string', default: '32,64,128,256' },
    widths: { type: 'string', default: '1,2,4' },
    python: { type: 'string', default: '/usr/bin/python3' },
    'child-timeout': { type: 'string', default: '900' },
    out: { type: 'string' },
  },
});

const numbers = (list: string): number[] => list.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
const fixed = (value: number | undefined, digits = 1) => (value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const times = (value: number | undefined) => `${fixed(value, 2)}x`;

function configsFromArgs(): PeerConfig[] {
  if (args.configs) return args.configs.split(',').filter((s) => s.trim()).map(parseConfig);
  const policies = args.policies!.split(',').map((s) => s.trim()).filter(Boolean);
  for (const p of policies) if (!WAIT_POLICIES.includes(p as WaitPolicy)) throw new Error(`unknown wait policy '${p}': ${WAIT_POLICIES.join(', ')}`);
  return peerConfigs(numbers(args.threads!), policies as WaitPolicy[]);
}

async function timed(config: PeerConfig, c: PeerCase, round: number, steps = c.steps, warmup = c.warmup): Promise<PeerRun> {
  process.stderr.write(`peer: round ${round} ${config.name} ${c.key}, ${warmup} warm-up + ${steps} steps ...\n`);
  const common = ['--spec', c.spec, '--steps', String(steps), '--warmup', String(warmup),
    ...(c.batch !== undefined ? ['--batch', String(c.batch)] : []), ...(c.width !== undefined ? ['--width', String(c.width)] : [])];
  const threads = String(config.threads);
  const started = performance.now();
  const limit = Number(args['child-timeout']);
  const outcome = config.runner === 'ganc'
    ? await runGancChild<PeerRunResult>([...common, '--backend', 'ganc', '--profile-steps', '0'], { GANC_THREADS: threads, OPENBLAS_NUM_THREADS: threads }, limit)
    : await runJsonChild<PeerRunResult>(args.python!, [join(REPO_ROOT, 'bench/torch_peer.py'), ...common, '--threads', threads,
      '--wait-policy', config.policy ?? 'passive'], { OPENBLAS_NUM_THREADS: threads, OMP_NUM_THREADS: threads }, limit);
  return { config: config.name, case: c.key, round, wall_s: (performance.now() - started) / 1000, outcome };
}

function summarize(configs: PeerConfig[], runs: PeerRun[], c: PeerCase): CaseSummary {
  const rounds = runs.filter((r) => r.case === c.key).map((r) => ({ config: r.config, round: r.round, result: r.outcome.ok ? r.outcome.result : undefined }));
  return summarizeCase(configs, rounds);
}

function printTables(label: string, configs: PeerConfig[], cases: PeerCase[], summaries: CaseSummary[]): void {
  const labels = cases.map((c) => c.key);
  const perConfig = (pick: (f: CaseSummary['configs'][number]) => number) =>
    formatTable([label, ...configs.map((c) => c.name)], summaries.map((s, i) => [labels[i], ...s.configs.map((f) => fixed(pick(f)))]));
  console.log('ms per iteration (the best round\'s median)');
  console.log(perConfig((f) => f.median));
  console.log('\nCPU ms per iteration (user + system, all threads; the best round\'s median): the work, whatever the load');
  console.log(perConfig((f) => f.cpu));
  console.log('\nfastest single iteration, ms');
  console.log(perConfig((f) => f.best));

  // Thread counts where both sides ran (with --configs ganc-2,torch-1 there are none).
  const threadCounts = [...new Set(summaries.flatMap((s) => s.perThreads.map((p) => p.threads)))].sort((a, b) => a - b);
  const gancThreads = configs.filter((c) => c.runner === 'ganc' && c.threads > 1).map((c) => c.threads);
  console.log('\nratios ganc/PyTorch of ms per iteration (< 1: ganc is faster); in parentheses the median of the per-round ratios');
  console.log(formatTable(
    [label, 'best vs best', 'ganc best', 'PyTorch best', ...threadCounts.map((t) => `${t} thread${t === 1 ? '' : 's'}`), 'CPU ms ratio',
      ...(gancThreads.length ? [`ganc ${Math.max(...gancThreads)}t speed-up`] : [])],
    summaries.map((s, i) => [labels[i],
      s.best ? `${times(s.best.ratio)} (${times(s.best.paired)})` : 'n/a', s.best?.ganc ?? '', s.best?.torch ?? '',
      ...threadCounts.map((t) => {
        const r = s.perThreads.find((p) => p.threads === t);
        return r ? `${times(r.ratio)} (${times(r.paired)})` : 'n/a';
      }),
      s.cpu ? `${times(s.cpu.ratio)} at ${s.cpu.threads}t` : 'n/a',
      ...(gancThreads.length ? [s.gancScaling ? times(s.gancScaling.speedup) : 'n/a'] : [])])));
}

async function main(): Promise<void> {
  const scaling = args.scaling!;
  const rounds = Number(args.rounds ?? (scaling ? 1 : 3));
  const steps = Number(args.steps ?? (scaling ? 5 : 20));
  const warmup = Number(args.warmup ?? (scaling ? 1 : 3));
  const configs = configsFromArgs();
  const caseOf = (spec: string, variant: { batch?: number; width?: number } = {}, key = spec): PeerCase => {
    const long = BENCH_SPECS[spec].long === true;
    return { key, spec, ...variant, steps: long ? Number(args['long-steps']) : steps, warmup: long ? Number(args['long-warmup']) : warmup };
  };
  let cases: PeerCase[];
  if (scaling) {
    const [spec] = benchSpecNames(args['scaling-spec']!);
    cases = numbers(args.batches!).flatMap((batch) => numbers(args.widths!).map((width) => caseOf(spec, { batch, width }, `b${batch} w${width}`)));
  } else {
    cases = benchSpecNames(args.specs!).map((spec) => caseOf(spec));
  }
  const rssSteps = scaling ? 0 : Number(args['rss-steps']);
  const [rssSpec] = benchSpecNames(args['rss-spec']!);
  const rssConfigs = args['rss-configs']!.split(',').filter((s) => s.trim()).map(parseConfig);
  const out = args.out ?? resolve(REPO_ROOT, scaling ? 'bench/results/peer-scaling.json' : 'bench/results/peer.json');
  const loadBefore = loadavg();
  const started = performance.now();

  const speedRuns: PeerRun[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const c of cases) for (const config of configs) speedRuns.push(await timed(config, c, round));
  }
  const rssRuns: PeerRun[] = [];
  if (rssSteps > 0) for (const config of rssConfigs) rssRuns.push(await timed(config, caseOf(rssSpec, {}, `${rssSpec} rss`), 1, rssSteps, 0));
  const loadAfter = loadavg();
  const minutes = (performance.now() - started) / 60000;

  const failures = [...speedRuns, ...rssRuns].filter((r) => !r.outcome.ok);
  for (const f of failures) console.log(`FAILED round ${f.round} ${f.config} ${f.case}: ${(f.outcome as { error: string }).error}`);

  const summaries = cases.map((c) => summarize(configs, speedRuns, c));
  console.log(`ganc (ganc backend, native kernels; GANC_THREADS = OPENBLAS_NUM_THREADS = N) vs PyTorch ${'(bench/torch_peer.py; torch.set_num_threads(N), OPENBLAS_NUM_THREADS = OMP_NUM_THREADS = N, OMP_WAIT_POLICY)'}`);
  console.log(`${rounds} alternating round${rounds === 1 ? '' : 's'} of ${warmup} warm-up + ${steps} timed iterations`
    + `${cases.some((c) => BENCH_SPECS[c.spec].long) ? ` (long specs: ${args['long-warmup']} + ${args['long-steps']})` : ''}; one iteration = ndis D steps + one G step`);
  if (scaling) console.log(`scaling: ${cases[0]?.spec} at batch ${args.batches} x D/G width x${args.widths!.split(',').join('/x')}`);
  console.log(`load average before ${loadBefore.map((l) => fixed(l, 2)).join(' ')}, after ${loadAfter.map((l) => fixed(l, 2)).join(' ')} on ${cpus().length} cores; ${fixed(minutes)} min\n`);
  printTables(scaling ? 'case' : 'spec', configs, cases, summaries);

  const rssOf = (run: PeerRun | undefined) => (run?.outcome.ok ? run.outcome.result.peak_rss_mb : NaN);
  const rssGanc = rssRuns.find((r) => r.config.startsWith('ganc'));
  const rssTorch = rssRuns.find((r) => r.config.startsWith('torch'));
  const rssRatio = rssOf(rssGanc) / rssOf(rssTorch);
  if (rssSteps > 0) {
    console.log(`\npeak RSS of a ${rssSteps}-step ${rssSpec} run (each in its own process)`);
    console.log(formatTable(['configuration', 'peak RSS MB', 'wall s', 'ms/iter median'],
      rssRuns.map((run) => [run.config, fixed(rssOf(run), 0), fixed(run.wall_s), run.outcome.ok ? fixed(run.outcome.result.ms.median) : 'failed'])));
    console.log(`ratio ganc/PyTorch: ${times(rssRatio)}`);
  }

  const byKey = Object.fromEntries(cases.map((c, i) => [c.key, summaries[i]]));
  const checks = scaling ? [] : issue13Checks(byKey, rssSteps > 0 ? rssRatio : undefined);
  if (checks.length) {
    console.log('\nissue 13, done when:');
    console.log(formatTable(['', 'measured', 'target', 'met'], checks.map((c) => [c.what, times(c.value), c.target, c.met ? 'yes' : 'no'])));
  }

  writeBenchResults(out, { before: loadBefore, after: loadAfter }, {
    options: { scaling, rounds, steps, warmup, longSteps: Number(args['long-steps']), longWarmup: Number(args['long-warmup']), rssSteps, rssSpec,
      configs: configs.map((c) => c.name), python: args.python, minutes },
    configs,
    cases: cases.map((c, i) => ({ ...c, ...summaries[i] })),
    checks,
    rss: rssSteps > 0 ? { spec: rssSpec, steps: rssSteps, ganc: rssGanc?.config, torch: rssTorch?.config, ganc_mb: rssOf(rssGanc), torch_mb: rssOf(rssTorch), ratio: rssRatio } : null,
    runs: [...speedRuns, ...rssRuns].map(({ outcome, ...run }) => ({ ...run, ...(outcome.ok ? { result: outcome.result } : { error: outcome.error }) })),
  });
}

await main();
