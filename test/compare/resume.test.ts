// `ganc compare` killed mid-grid and resumed (the second time on two worker processes): no finished
// trial is lost or trained again, every cell ends complete, and the grid's run folder, including the
// attempt the kill cut short, aggregates to the same table. A diverging method is counted, not dropped.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { CompareDocument } from '../../src/compare/output.js';
import { TRIAL_FILE } from '../../src/compare/records.js';
import type { CompareState } from '../../src/compare/state.js';
import { lockSearchDir } from '../../src/search/search-lock.js';
import { ganc } from '../search/cli-run.js';
import { exited, PROCESS_TEST_TIMEOUT_MS, spawnGanc, waitFor } from '../helpers/cli-processes.js';
import { ring8Spec } from '../helpers/tiny-specs.js';

const TINY_RING8 = ring8Spec({
  name: 'tiny', lines: ['reg 1 * r1', 'optimizer D adam lr 1e-3 betas 0.5 0.999', 'optimizer G adam lr 1e-3 betas 0.5 0.999'],
  train: 'steps 10 seed 0 log 50 sample 1000 checkpoint 1000 eval 100',
});

/** Run directories under each trial's folder. */
function runsPerTrial(dir: string): Record<string, number> {
  const root = join(dir, 'runs');
  return Object.fromEntries(readdirSync(root).map((t) => [t, readdirSync(join(root, t)).filter((n) => !n.startsWith('.')).length]));
}

const tables = (text: string): string => text.slice(text.indexOf('## modes'), text.indexOf('## Methods'));

it('continues a killed grid from compare-state.json without losing or retraining a finished trial', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ganc-compare-resume-'));
  const spec = join(scratch, 'tiny.gan');
  writeFileSync(spec, TINY_RING8);
  const dir = join(scratch, 'grid');
  const stateFile = join(dir, 'compare-state.json');
  const readState = (): CompareState | undefined => (existsSync(stateFile) ? JSON.parse(readFileSync(stateFile, 'utf8')) as CompareState : undefined);

  // Three methods × three seeds; the third method diverges at its first step.
  const first = spawnGanc(['compare', spec, '--set', '{reg 1 r1,reg 1 0.1 * r1,reg 1 exp(1e4 * r1)}', '--seeds', '3', '--steps', '400',
    '--eval-samples', '100', '--baseline', 'tiny_1', '--out', dir]);
  await waitFor('three finished trials', () => {
    const state = readState();
    return state && Object.keys(state.results).length >= 3 && state;
  });
  first.child.kill('SIGKILL');
  await exited(first.child);
  const before = readState()!;
  const finishedBefore = Object.keys(before.results);
  expect(finishedBefore.length).toBeLessThan(9);

  const { code, out, err } = await ganc('compare', '--resume', dir, '--workers', '2');
  expect(code, err).toBe(0);
  expect(out).toContain(`resuming ${dir}: ${finishedBefore.length} trials already finished`);
  expect(out).toContain('trials run 2 worker processes on this machine');

  const after = readState()!;
  expect(Object.keys(after.results)).toHaveLength(9);
  for (const id of finishedBefore) expect(after.results[id]).toEqual(before.results[id]);
  for (const [id, evaluation] of Object.entries(before.evaluations)) expect(after.evaluations[id]).toEqual(evaluation);
  const runs = runsPerTrial(dir);
  for (const id of finishedBefore) expect(runs[id], id).toBe(1);
  // The trial the kill interrupted left a partial run behind and was trained again from the start.
  expect(Object.values(runs).every((n) => n === 1 || n === 2)).toBe(true);
  for (const r of Object.values(after.results)) expect(existsSync(join(r.runDir, TRIAL_FILE)), r.runDir).toBe(true);

  const doc = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')) as CompareDocument;
  expect(doc.table.cells.map((c) => [c.method, c.finished, c.diverged])).toEqual([['tiny_1', 3, 0], ['tiny_2', 3, 0], ['tiny_3', 0, 3]]);
  const md = readFileSync(join(dir, 'compare.md'), 'utf8');
  expect(md).toMatch(/^\| tiny_3 \| 100% \| 400 \| 0 \| — \| — \| — \| 0: diverged, 1: diverged, 2: diverged \| 3 \| 0 \|/m);
  expect(md).toMatch(/^- tiny_3, 100%, seed 0: diverged at step 1: /m);

  // The folder of runs, partial attempt included, gives the grid's table.
  const aggregated = await ganc('compare', join(dir, 'runs'), '--eval-samples', '100', '--baseline', 'tiny_1', '--out', join(scratch, 'aggregated'));
  expect(aggregated.code, aggregated.err).toBe(0);
  const again = readFileSync(join(scratch, 'aggregated', 'compare.md'), 'utf8');
  expect(tables(again)).toBe(tables(md));
  if (Object.values(runs).includes(2)) expect(again).toMatch(/Left out: 1 run that stopped early and was trained again/);
}, PROCESS_TEST_TIMEOUT_MS);

it('refuses a second coordinator on a compare directory while the first holds it', async () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ganc-compare-lock-'));
  const spec = join(scratch, 'tiny.gan');
  writeFileSync(spec, TINY_RING8);
  const dir = join(scratch, 'grid');
  const first = await ganc('compare', spec, '--seeds', '1', '--steps', '3', '--eval-samples', '50', '--out', dir);
  expect(first.code, first.err).toBe(0);
  const release = lockSearchDir(dir, 'ganc compare');
  try {
    const second = await ganc('compare', '--resume', dir);
    expect(second.code).toBe(1);
    expect(second.err).toMatch(new RegExp(`^${dir}: another ganc compare is running on this directory \\(pid ${process.pid} on `));
  } finally {
    release();
  }
  expect((await ganc('compare', '--resume', dir)).code).toBe(0);
}, PROCESS_TEST_TIMEOUT_MS);
