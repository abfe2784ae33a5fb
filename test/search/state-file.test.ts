// search-state.json read back by `ganc search --resume`: a state this version wrote loads as written; a
// null, truncated, hand-edited or device file is one SearchStateError (or FileError) line naming the
// file, where a null state was a TypeError (exit 2) and a malformed one failed deep inside the search.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { DEFAULT_GRID } from '../../src/search/rewrites.js';
import { createSearch } from '../../src/search/search.js';
import { loadState, saveState, STATE_FILE, type SearchState } from '../../src/search/state.js';
import { runMain } from '../cli/in-process.js';
import { RING8_SPEC } from './formulas.js';

function newSearch(): { dir: string; state: SearchState } {
  const dir = join(mkdtempSync(join(tmpdir(), 'ganc-state-')), 'search');
  const state = createSearch(dir, {
    specFile: RING8_SPEC, regIndex: 0, families: ['scale'], grid: DEFAULT_GRID, depth: 1, maxVariants: 4,
    budget: { minSteps: 5, maxSteps: 15, eta: 3, seeds: 1, baseSeed: 0, evalSamples: 100 },
  }, readFileSync(RING8_SPEC, 'utf8'));
  return { dir, state };
}

function refusal(dir: string): string {
  let error: unknown;
  try {
    loadState(dir);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(UserError);
  expect((error as Error).message).not.toContain('\n');
  return (error as Error).message;
}

describe('search-state.json', () => {
  it('loads a state as it was saved, results with a diverged trial included', () => {
    const { dir, state } = newSearch();
    const [variant] = state.variants;
    state.results[`${variant.id}.s5.seed0`] = {
      trialId: `${variant.id}.s5.seed0`, variantId: variant.id, rung: 0, steps: 5, seed: 0, quality: null,
      diverged: { step: 3, term: 'loss_D', value: NaN, message: 'training diverged at step 3: loss_D is NaN' },
      error: null, runDir: 'runs/x', worker: 'host:1', seconds: 0.5,
    };
    saveState(dir, state);
    expect(JSON.parse(JSON.stringify(loadState(dir)))).toEqual(JSON.parse(JSON.stringify(state)));
  });

  it.each([
    ['null', 'null', /: not a valid search state \(the state is null, expected an object\)$/],
    ['a list', '[]', /: not a valid search state \(the state is \[\], expected an object\)$/],
    ['another version', '{"version": 2}', /: version 2, expected 1$/],
    ['no version', '{}', /: version missing, expected 1$/],
    ['truncated', '{"version": 1, "searchId": "ab', /: unreadable \(/],
  ])('refuses a state that is %s', (_name, text, says) => {
    const { dir } = newSearch();
    writeFileSync(join(dir, STATE_FILE), text);
    const message = refusal(dir);
    expect(message.startsWith(join(dir, STATE_FILE))).toBe(true);
    expect(message).toMatch(says);
  });

  it.each([
    ['without its variants', (s: Record<string, unknown>) => { delete s.variants; }, /variants is undefined, expected a list/],
    ['with results null', (s: Record<string, unknown>) => { s.results = null; }, /results is null, expected an object/],
    ['with a budget whose eta is text', (s: Record<string, unknown>) => { (s.config as { budget: { eta: unknown } }).budget.eta = 'three'; }, /config\.budget\.eta is "three", expected a number/],
    ['with a variant without edits', (s: Record<string, unknown>) => { delete (s.variants as { edits?: unknown }[])[1].edits; }, /variants\[1\]\.edits is undefined, expected a list/],
    ['with a result of negative steps', (s: Record<string, unknown>) => {
      s.results = { t: { trialId: 't', variantId: 'v', rung: 0, steps: -5, seed: 0, quality: null, diverged: null, error: null, runDir: '', worker: '', seconds: 1 } };
    }, /results\.t\.steps is -5, expected a whole number/],
  ])('refuses a state %s, naming the field', (_name, edit, says) => {
    const { dir } = newSearch();
    const state = JSON.parse(readFileSync(join(dir, STATE_FILE), 'utf8'));
    edit(state);
    writeFileSync(join(dir, STATE_FILE), JSON.stringify(state));
    expect(refusal(dir)).toMatch(says);
  });

  it('refuses a state file that is /dev/zero without reading it', () => {
    const { dir } = newSearch();
    rmSync(join(dir, STATE_FILE));
    symlinkSync('/dev/zero', join(dir, STATE_FILE));
    expect(refusal(dir)).toBe(`${join(dir, STATE_FILE)}: cannot read the search state: it is a character device, not a regular file`);
  });

  it('ganc search --resume of a null state: exit 1, one line', async () => {
    const { dir } = newSearch();
    writeFileSync(join(dir, STATE_FILE), 'null');
    const r = await runMain('search', '--resume', dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${join(dir, STATE_FILE)}: not a valid search state (the state is null, expected an object)\n`);
  });
});
