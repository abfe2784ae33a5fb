// bench:peer's arithmetic (bench/peer-summary.ts) and the bench specs' variants (bench/bench-specs.ts), on made-up
// figures: nothing here is timed.
import { describe, expect, it } from 'vitest';
import { benchIR, benchSpecText, scaleWidth } from '../../bench/bench-specs.js';
import {
  issue13Checks, pairedRatio, parseConfig, peerConfigs, summarizeCase, type PeerMeasurement, type RoundResult,
} from '../../bench/peer-summary.js';

const measured = (median: number, best = median, cpu = median): PeerMeasurement => ({
  ms: { median, best, all: [best, median] },
  cpu_ms: { median: cpu, best: cpu, all: [cpu] },
});
const run = (config: string, round: number, median?: number, best?: number, cpu?: number): RoundResult =>
  ({ config, round, result: median === undefined ? undefined : measured(median, best, cpu) });

describe('configurations', () => {
  it('alternate ganc and PyTorch by thread count, with a PyTorch run per wait policy above 1 thread', () => {
    expect(peerConfigs([2, 1], ['passive', 'default']).map((c) => c.name))
      .toEqual(['ganc-1', 'torch-1', 'ganc-2', 'torch-2-passive', 'torch-2-default']);
    expect(peerConfigs([2], ['default'])).toEqual([
      { name: 'ganc-2', runner: 'ganc', threads: 2 },
      { name: 'torch-2-default', runner: 'torch', threads: 2, policy: 'default' },
    ]);
    expect(() => peerConfigs([0], ['passive'])).toThrow(/positive/);
  });

  it('parse from their names', () => {
    expect(parseConfig('torch-2-default')).toEqual({ name: 'torch-2-default', runner: 'torch', threads: 2, policy: 'default' });
    expect(parseConfig('torch-2')).toMatchObject({ name: 'torch-2-passive', policy: 'passive' });
    expect(parseConfig('torch-1-active')).toMatchObject({ name: 'torch-1', threads: 1 });
    expect(parseConfig('ganc-1')).toEqual({ name: 'ganc-1', runner: 'ganc', threads: 1 });
    expect(() => parseConfig('ganc-2-passive')).toThrow(/unknown configuration/);
    expect(() => parseConfig('jax-2')).toThrow(/unknown configuration/);
  });
});

describe('a case over the rounds', () => {
  const configs = peerConfigs([1, 2], ['passive', 'default']);
  const rounds: RoundResult[] = [
    run('ganc-1', 1, 80, 75, 78), run('torch-1', 1, 50, 48, 49), run('ganc-2', 1, 50, 45, 90),
    run('torch-2-passive', 1, 80, 70, 150), run('torch-2-default', 1, 52, 47, 101),
    run('ganc-1', 2, 84, 70, 76), run('torch-1', 2, 56, 49, 50), run('ganc-2', 2, 44, 44, 88),
    run('torch-2-passive', 2, 90, 88, 160), run('torch-2-default', 2), // failed
  ];
  const summary = summarizeCase(configs, rounds);

  it("takes each configuration's best round median, fastest iteration and least CPU time", () => {
    expect(summary.configs.map((f) => [f.config, f.rounds, f.median, f.best, f.cpu])).toEqual([
      ['ganc-1', 2, 80, 70, 76], ['torch-1', 2, 50, 48, 49], ['ganc-2', 2, 44, 44, 88],
      ['torch-2-passive', 2, 80, 70, 150], ['torch-2-default', 1, 52, 47, 101],
    ]);
  });

  it("compares ganc's fastest configuration with PyTorch's fastest, and pairs them round by round", () => {
    expect(summary.best).toMatchObject({ ganc: 'ganc-2', torch: 'torch-1', ratio: 44 / 50 });
    expect(summary.best!.paired).toBeCloseTo(median2(50 / 50, 44 / 56));
  });

  it("at each thread count, against PyTorch's fastest wait policy there", () => {
    expect(summary.perThreads.map((r) => [r.threads, r.ganc, r.torch, r.ratio])).toEqual([
      [1, 'ganc-1', 'torch-1', 80 / 50], [2, 'ganc-2', 'torch-2-default', 44 / 52],
    ]);
    expect(summary.perThreads[1].paired).toBeCloseTo(50 / 52); // round 2's default run failed
  });

  it("gives the CPU ratio at 1 thread and ganc's speed-up from 1 to 2 threads", () => {
    expect(summary.cpu).toMatchObject({ threads: 1, ratio: 76 / 49 });
    expect(summary.gancScaling).toEqual({ threads: 2, speedup: 80 / 44 });
  });

  it('leaves out what did not run', () => {
    const onlyGanc = summarizeCase(configs, [run('ganc-2', 1, 40), run('torch-1', 1)]);
    expect(onlyGanc.best).toBeNull();
    expect(onlyGanc.perThreads).toEqual([]);
    expect(onlyGanc.cpu).toBeNull();
    expect(onlyGanc.gancScaling).toBeNull();
    expect(onlyGanc.configs.find((f) => f.config === 'torch-1')).toMatchObject({ rounds: 0, median: NaN });
    expect(pairedRatio([run('a', 1, 2), run('b', 2, 1)], 'a', 'b')).toBeNaN();
  });

  it("checks issue 13's targets on what was measured", () => {
    const checks = issue13Checks({ 'wgan-gp': summary, sngan: summary }, 1.2);
    expect(checks.map((c) => [c.what, c.target, c.met])).toEqual([
      ["wgan-gp: ganc's best / PyTorch's best", '≤ 0.8x', false],
      ["sngan: ganc's best / PyTorch's best", '≤ 1.0x', true],
      ['wgan-gp: ganc / PyTorch at 1 thread', '≤ 1.0x', false],
      ['wgan-gp: ganc 2 threads / 1 thread speed-up', '≥ 1.8x', true],
      ['peak RSS ganc / PyTorch', '≤ 1.0x', false],
    ]);
    expect(checks[0].value).toBeCloseTo(0.88);
  });
});

const median2 = (a: number, b: number) => (a + b) / 2;

describe('bench spec variants', () => {
  it('scale every hidden layer but the networks\' last, and set the batch through an override', () => {
    const { ir } = benchIR('wgan-gp', { batch: 128, width: 2 });
    expect(ir.data.batch).toBe(128);
    expect(ir.train.ndis).toBe(1);
    const sizes = (layers: { kind: string; units?: number; filters?: number; shape?: number[] }[]) =>
      layers.flatMap((l) => (l.units ?? l.filters ?? (l.kind === 'reshape' ? l.shape!.at(-1) : undefined)) ?? []);
    expect(sizes(ir.generator.layers as never)).toEqual([7 * 7 * 256, 256, 128, 1]);
    expect(sizes(ir.discriminator.layers as never)).toEqual([128, 256, 1]);
    expect(ir.generator.outShape).toEqual([28, 28, 1]);
  });

  it('leave the text as it was at width 1, and scale resblocks by their filters', () => {
    const text = 'gan x\ndata mnist\nlatent normal 8\n\ngenerator\n  dense 16\n  reshape 2 2 4\n  resblock up 4\n  conv 1 kernel 3\n';
    expect(scaleWidth(text, 'x.gan', 1)).toBe(text);
    expect(scaleWidth(text, 'x.gan', 4)).toContain('  dense 16 * 4\n  reshape 2 2 4 * 4\n  resblock up 4 * 4\n  conv 1 kernel 3\n');
    expect(benchSpecText('sngan-resnet', { width: 2 }).text).toMatch(/data cifar10 "[^"]+" batch 16\n/);
  });
});
