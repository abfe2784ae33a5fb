// The table from run records: cells in method and fraction order, every seed shown (diverged and failed
// runs counted, never dropped), summaries over the finished seeds, and baseline verdicts that say
// "not distinguishable" exactly when Welch's interval covers zero.
import { describe, expect, it } from 'vitest';
import type { EvalProtocol } from '../../src/compare/protocol.js';
import { oneRunPerSeed, type RunDirFacts, type RunRecord } from '../../src/compare/records.js';
import { buildTable, formatNumber, measureRows } from '../../src/compare/table.js';
import { CompareError } from '../../src/compare/compare-error.js';

const PROTOCOL: EvalProtocol = {
  samples: 100, data: 'mnist', measures: [{ name: 'fd_lenet', better: 'lower' }, { name: 'class_coverage', better: 'higher' }],
  reference: 'test', featureModel: null, latents: 'test',
};

function run(method: string, fraction: number, seed: number, fd: number | null, status: RunRecord['status'] = 'finished'): RunRecord {
  return {
    method, fraction, seed, steps: 10, data: 'mnist', status, note: status === 'finished' ? null : `${status} for the test`,
    scores: fd === null ? null : { fd_lenet: fd, class_coverage: 1 }, seconds: 2, runDir: `/runs/${method}-${fraction}-${seed}`,
  };
}

describe('buildTable', () => {
  const records = [
    run('base', 1, 0, 50), run('base', 1, 1, 52), run('base', 1, 2, 51),
    run('good', 1, 0, 30), run('good', 1, 1, 31), run('good', 1, 2, null, 'diverged'),
    run('same', 1, 0, 49), run('same', 1, 1, 53), run('same', 1, 2, 51.5),
    run('base', 0.1, 0, 80), run('base', 0.1, 1, 90),
    run('good', 0.1, 0, null, 'failed'), run('good', 0.1, 1, 60),
  ];
  const table = buildTable(records, PROTOCOL, 'base');

  it('has a cell per method and fraction, fractions ascending, methods in order of appearance', () => {
    expect(table.methods).toEqual(['base', 'good', 'same']);
    expect(table.fractions).toEqual([0.1, 1]);
    expect(table.cells.map((c) => `${c.method}@${c.fraction}`)).toEqual(['base@0.1', 'base@1', 'good@0.1', 'good@1', 'same@1']);
  });

  it('keeps every seed: a diverged or failed run is counted and shown, and not in the mean', () => {
    const good = table.cells.find((c) => c.method === 'good' && c.fraction === 1)!;
    expect(good.seeds).toEqual([0, 1, 2]);
    expect(good.diverged).toBe(1);
    expect(good.measures.fd_lenet.values).toEqual([30, 31, null]);
    expect(good.measures.fd_lenet.summary).toMatchObject({ n: 2, mean: 30.5 });
    const row = measureRows(table, PROTOCOL.measures[0]).find((r) => r[0] === 'good' && r[1] === '100%')!;
    expect(row).toContain('0: 30.00, 1: 31.00, 2: diverged');
    const failed = table.cells.find((c) => c.method === 'good' && c.fraction === 0.1)!;
    expect(failed.failed).toBe(1);
    expect(failed.measures.fd_lenet.summary).toMatchObject({ n: 1, sd: null, ci95: null });
  });

  it('verdicts: better where the interval excludes zero, "not distinguishable" where it covers it, too few seeds said so', () => {
    const verdict = (method: string, fraction: number, measure = 'fd_lenet') =>
      table.comparisons.find((c) => c.method === method && c.fraction === fraction && c.measure === measure)!;
    expect(verdict('good', 1).verdict).toBe('better (lower)');
    expect(verdict('good', 1).welch!.ci95.high).toBeLessThan(0);
    expect(verdict('same', 1).verdict).toBe('not distinguishable');
    expect(verdict('same', 1).welch!.ci95.low).toBeLessThan(0);
    expect(verdict('same', 1).welch!.ci95.high).toBeGreaterThan(0);
    expect(verdict('good', 0.1).verdict).toMatch(/^too few finished seeds/);
    expect(verdict('good', 0.1).bootstrap).toBeNull();
    expect(verdict('good', 1).bootstrap!.high).toBeLessThan(0);
    // No spread on either side and no difference: exact, and not distinguishable.
    expect(verdict('same', 1, 'class_coverage').verdict).toBe('not distinguishable');
    expect(table.comparisons.some((c) => c.method === 'base')).toBe(false);
  });

  it('a higher-is-better measure calls a higher mean better', () => {
    const coverage = (m: string, seed: number, v: number): RunRecord => ({ ...run(m, 1, seed, 1), scores: { fd_lenet: 1, class_coverage: v } });
    const t = buildTable([coverage('b', 0, 0.5), coverage('b', 1, 0.52), coverage('m', 0, 0.9), coverage('m', 1, 0.91)], PROTOCOL, 'b');
    expect(t.comparisons.find((c) => c.measure === 'class_coverage')!.verdict).toBe('better (higher)');
  });

  it('refuses a baseline that is not a method', () => {
    expect(() => buildTable(records, PROTOCOL, 'nope')).toThrow(CompareError);
  });

  it('formats four significant figures', () => {
    expect([formatNumber(1234.56), formatNumber(51.234), formatNumber(0.91234), formatNumber(0), formatNumber(null)]).toEqual(['1235', '51.23', '0.9123', '0', '—']);
  });
});

describe('oneRunPerSeed (aggregating run directories)', () => {
  const facts = (dir: string, seed: number, unfinished: boolean, fromGrid: boolean): RunDirFacts => ({
    base: { method: 'm', fraction: 1, seed, steps: 10, data: 'mnist', seconds: 1, runDir: dir },
    unfinished: unfinished ? { status: 'diverged', note: 'stopped' } : null, fromGrid, specText: null,
  });

  it('leaves out a killed attempt that was trained again, and says so', () => {
    const { kept, superseded } = oneRunPerSeed([facts('a-partial', 0, true, false), facts('a', 0, false, true), facts('b', 1, true, true)]);
    expect(kept.map((f) => f.base.runDir)).toEqual(['a', 'b']);
    expect(superseded).toEqual(['a-partial']);
  });

  it('keeps a diverged run the grid recorded, and the latest of several stopped attempts', () => {
    expect(oneRunPerSeed([facts('x', 0, true, true)]).kept).toHaveLength(1);
    expect(oneRunPerSeed([facts('x1', 0, true, false), facts('x2', 0, true, false)]).kept.map((f) => f.base.runDir)).toEqual(['x2']);
  });

  it('refuses two complete runs of one seed', () => {
    expect(() => oneRunPerSeed([facts('a', 0, false, false), facts('b', 0, false, false)])).toThrow(/a and b are both m, fraction 1, seed 0/);
  });
});
