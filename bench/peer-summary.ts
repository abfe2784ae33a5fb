// bench:peer's arithmetic, apart from any timing so that it can be tested: the configurations (runner, threads,
// OpenMP wait policy), the figures of each configuration over the rounds, best-of ratios and issue 13's checks.
import { median, type Timing } from './timing.js';

export type Runner = 'ganc' | 'torch';
/** OpenMP's wait policy in the PyTorch process: passive (sleep), active (spin), default (libgomp: spin, then sleep). */
export type WaitPolicy = 'passive' | 'active' | 'default';
export const WAIT_POLICIES: readonly WaitPolicy[] = ['passive', 'active', 'default'];

/** One way of running a side: `ganc-2`, `torch-1`, `torch-2-passive`, `torch-2-default`. */
export interface PeerConfig {
  name: string;
  runner: Runner;
  threads: number;
  /** PyTorch only; at 1 thread there is no waiting and the policy is left out of the name (passive). */
  policy?: WaitPolicy;
}

export function configName(runner: Runner, threads: number, policy?: WaitPolicy): string {
  return runner === 'torch' && threads > 1 ? `torch-${threads}-${policy ?? 'passive'}` : `${runner}-${threads}`;
}

/**
 * Every configuration for these thread counts and PyTorch wait policies, in the order the rounds run them:
 * by thread count, ganc first, so that the two sides alternate.
 */
export function peerConfigs(threads: readonly number[], policies: readonly WaitPolicy[]): PeerConfig[] {
  const configs: PeerConfig[] = [];
  for (const t of [...new Set(threads)].sort((a, b) => a - b)) {
    if (!(Number.isInteger(t) && t > 0)) throw new Error(`thread counts must be positive integers, got ${t}`);
    configs.push({ name: configName('ganc', t), runner: 'ganc', threads: t });
    if (t === 1) configs.push({ name: configName('torch', 1), runner: 'torch', threads: 1, policy: 'passive' });
    else for (const policy of new Set(policies)) configs.push({ name: configName('torch', t, policy), runner: 'torch', threads: t, policy });
  }
  return configs;
}

/** `ganc-2`, `torch-1`, `torch-2-default` → the configuration; anything else throws. */
export function parseConfig(name: string): PeerConfig {
  const match = /^(ganc|torch)-(\d+)(?:-(passive|active|default))?$/.exec(name.trim());
  if (!match || (match[1] === 'ganc' && match[3])) {
    throw new Error(`unknown configuration '${name}': ganc-N, torch-1 or torch-N-${WAIT_POLICIES.join('|')}`);
  }
  const runner = match[1] as Runner;
  const threads = Number(match[2]);
  const policy = runner === 'torch' ? ((match[3] as WaitPolicy | undefined) ?? 'passive') : undefined;
  return { name: configName(runner, threads, policy), runner, threads, ...(policy ? { policy } : {}) };
}

/** What one timed child process reported (both runners print these fields). */
export interface PeerMeasurement {
  ms: Timing;
  cpu_ms: Timing;
}

/** One configuration's measurement of one case in one round; undefined where the child failed. */
export interface RoundResult {
  config: string;
  round: number;
  result?: PeerMeasurement;
}

export interface ConfigFigures {
  config: string;
  runner: Runner;
  threads: number;
  policy?: WaitPolicy;
  /** Rounds that succeeded. */
  rounds: number;
  /** The best round's median ms/iteration: the least disturbed by the machine's other load. */
  median: number;
  /** The fastest single iteration of any round. */
  best: number;
  /** The best round's median CPU ms (user + system, all threads) per iteration: the work done, whatever the load. */
  cpu: number;
}

export interface Ratio {
  ganc: string;
  torch: string;
  /** ganc's figure / PyTorch's; < 1: ganc is faster. */
  ratio: number;
  /** The median over rounds of the same ratio within each round (both ran close together in time). */
  paired: number;
}

export interface CaseSummary {
  configs: ConfigFigures[];
  /** ganc's fastest configuration against PyTorch's fastest (by median ms/iteration). */
  best: Ratio | null;
  /** At each thread count: ganc against PyTorch's fastest wait policy at that count. */
  perThreads: (Ratio & { threads: number })[];
  /** CPU ms per iteration, ganc / PyTorch, at the fewest threads both ran (the work per iteration). */
  cpu: (Ratio & { threads: number }) | null;
  /** ganc at its most threads against ganc at 1: its speed-up (> 1 is faster). */
  gancScaling: { threads: number; speedup: number } | null;
}

const minOf = (values: number[]): number => (values.length ? Math.min(...values) : NaN);

export function configFigures(config: PeerConfig, rounds: RoundResult[]): ConfigFigures {
  const ok = rounds.filter((r) => r.config === config.name && r.result).map((r) => r.result!);
  return {
    config: config.name,
    runner: config.runner,
    threads: config.threads,
    ...(config.policy ? { policy: config.policy } : {}),
    rounds: ok.length,
    median: minOf(ok.map((r) => r.ms.median)),
    best: minOf(ok.map((r) => r.ms.best)),
    cpu: minOf(ok.map((r) => r.cpu_ms.median)),
  };
}

/** The configuration with the least median ms/iteration among those that ran (NaN figures never win). */
export function fastest(figures: ConfigFigures[]): ConfigFigures | undefined {
  return figures.filter((f) => Number.isFinite(f.median)).reduce<ConfigFigures | undefined>((a, f) => (!a || f.median < a.median ? f : a), undefined);
}

/** The median over rounds of a/b within each round where both ran. */
export function pairedRatio(rounds: RoundResult[], a: string, b: string, pick: (m: PeerMeasurement) => number = (m) => m.ms.median): number {
  const byRound = (config: string) => new Map(rounds.filter((r) => r.config === config && r.result).map((r) => [r.round, pick(r.result!)]));
  const first = byRound(a);
  const second = byRound(b);
  const ratios = [...first].filter(([round]) => second.has(round)).map(([round, value]) => value / second.get(round)!);
  return ratios.length ? median(ratios) : NaN;
}

function ratio(rounds: RoundResult[], ganc: ConfigFigures, torch: ConfigFigures, field: 'median' | 'cpu' = 'median'): Ratio {
  const pick = field === 'cpu' ? (m: PeerMeasurement) => m.cpu_ms.median : (m: PeerMeasurement) => m.ms.median;
  return { ganc: ganc.config, torch: torch.config, ratio: ganc[field] / torch[field], paired: pairedRatio(rounds, ganc.config, torch.config, pick) };
}

/** One case's figures over the rounds: every configuration's, the best-vs-best and per-thread-count ratios. */
export function summarizeCase(configs: PeerConfig[], rounds: RoundResult[]): CaseSummary {
  const figures = configs.map((c) => configFigures(c, rounds));
  const side = (runner: Runner, threads?: number) => figures.filter((f) => f.runner === runner && (threads === undefined || f.threads === threads));
  const gancBest = fastest(side('ganc'));
  const torchBest = fastest(side('torch'));
  const threadCounts = [...new Set(figures.map((f) => f.threads))].sort((a, b) => a - b);
  const perThreads = threadCounts.flatMap((threads) => {
    const ganc = fastest(side('ganc', threads));
    const torch = fastest(side('torch', threads));
    return ganc && torch ? [{ threads, ...ratio(rounds, ganc, torch) }] : [];
  });
  const cpuAt = threadCounts.find((t) => fastest(side('ganc', t)) && fastest(side('torch', t)));
  const gancOne = side('ganc', 1).find((f) => Number.isFinite(f.median));
  const gancMost = side('ganc').filter((f) => f.threads > 1 && Number.isFinite(f.median)).at(-1);
  return {
    configs: figures,
    best: gancBest && torchBest ? ratio(rounds, gancBest, torchBest) : null,
    perThreads,
    cpu: cpuAt === undefined ? null : { threads: cpuAt, ...ratio(rounds, fastest(side('ganc', cpuAt))!, fastest(side('torch', cpuAt))!, 'cpu') },
    gancScaling: gancOne && gancMost ? { threads: gancMost.threads, speedup: gancOne.median / gancMost.median } : null,
  };
}

export interface Check {
  what: string;
  value: number;
  /** `≤ 0.8x`, `≥ 1.8x`. */
  target: string;
  met: boolean;
}

/**
 * Issue 13's "done when", from one run's figures: ganc's best ≤ 0.8x PyTorch's best on wgan and wgan-gp and
 * ≤ 1.0x on sngan and pgn; at 1 thread ≤ 1.0x on wgan-gp; ganc at 2 threads ≥ 1.8x its 1-thread speed on wgan-gp;
 * peak RSS ≤ 1.0x PyTorch's. Only what this run measured is checked.
 */
export function issue13Checks(cases: Record<string, CaseSummary>, rssRatio?: number): Check[] {
  const checks: Check[] = [];
  const atMost = (what: string, value: number | undefined, limit: number) => {
    if (value !== undefined && Number.isFinite(value)) checks.push({ what, value, target: `≤ ${limit.toFixed(1)}x`, met: value <= limit });
  };
  for (const [spec, limit] of [['wgan', 0.8], ['wgan-gp', 0.8], ['sngan', 1.0], ['pgn', 1.0]] as const) {
    atMost(`${spec}: ganc's best / PyTorch's best`, cases[spec]?.best?.ratio, limit);
  }
  atMost('wgan-gp: ganc / PyTorch at 1 thread', cases['wgan-gp']?.perThreads.find((r) => r.threads === 1)?.ratio, 1.0);
  const scaling = cases['wgan-gp']?.gancScaling;
  if (scaling && scaling.threads === 2 && Number.isFinite(scaling.speedup)) {
    checks.push({ what: 'wgan-gp: ganc 2 threads / 1 thread speed-up', value: scaling.speedup, target: '≥ 1.8x', met: scaling.speedup >= 1.8 });
  }
  atMost('peak RSS ganc / PyTorch', rssRatio, 1.0);
  return checks;
}
