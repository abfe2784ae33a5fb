// Two command-line details of issue 15: --memory-budget moves the checker's memory limit (check,
// compile, probe, train take it; a size it cannot read is one line), and a run that diverges says which
// checkpoint it keeps, or that it has none (it claimed "its last good checkpoint" at step 1).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_TEST_TIMEOUT_MS } from '../helpers/cli-processes.js';
import { runMain } from './in-process.js';

const spec = (generator: string, extra = '') => `gan budget
data ring8 batch 1024
latent normal 2
generator
${generator}
  dense 2
discriminator
  dense 16
  relu
  dense 1
loss wasserstein
${extra}`;

let scratch: string;
const file = (name: string, text: string): string => {
  writeFileSync(join(scratch, name), text);
  return join(scratch, name);
};

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'ganc-budget-'));
});

describe('--memory-budget', () => {
  it('refuses what exceeds the default budget and accepts it under a larger one', async () => {
    const wide = file('wide.gan', spec('  dense 1000000'));
    const refused = await runMain('check', wide);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^.*wide\.gan:5:3: training this spec needs about \d+(\.\d+)? GiB at batch 1024 .* more than the memory budget of 8 GiB/);
    for (const command of ['check', 'compile']) {
      const r = await runMain(command, wide, '--memory-budget', '1T');
      expect(r.status, r.stderr).toBe(0);
    }
  });

  it('holds a small spec to a small budget, in every command that checks a spec', async () => {
    const small = file('small.gan', spec('  dense 16'));
    expect((await runMain('check', small)).status).toBe(0);
    for (const args of [['check', small], ['compile', small], ['train', small, '--out', join(scratch, 'runs')], ['probe', small, '--params', small, '--batch', small, '--json']]) {
      const r = await runMain(...args, '--memory-budget', '64K');
      expect(r.status, args[0]).toBe(1);
      expect(r.stderr, args[0]).toMatch(/more than the memory budget of 64 KiB/);
    }
  });

  it('refuses a size it cannot read in one line', async () => {
    const r = await runMain('check', file('any.gan', spec('  dense 16')), '--memory-budget', 'lots');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("--memory-budget: expected a size such as 16G, 512M or 1000000000, got 'lots'\n");
  });
});

describe('counts of samples on the command line', () => {
  // sample --n 1e9 and eval --n 1e8 ran for minutes, growing by the gigabyte, before anything was refused.
  it.each([
    ['sample', '10000', '--n: at most 10000, got 1000000000 (docs/language.md, "Limits")'],
    ['eval', '50000', '--n: at most 50000, got 1000000000 (docs/language.md, "Limits")'],
  ])('%s --n is at most %s', async (command, _max, says) => {
    const r = await runMain(command, scratch, '--n', '1000000000');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`${says}\n`);
  });
});

describe('a diverged run says which checkpoint it keeps', () => {
  it('none, when it diverges before the first', async () => {
    const r = await runMain('train', file('nan.gan', spec('  dense 16', 'reg log(r1 - 1000)\ntrain steps 5 checkpoint 2 sample 1000 eval 1000\n')),
      '--out', join(scratch, 'runs'), '--backend', 'cpu');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('training diverged at step 1: reg log(r1 - 1000) is NaN; no checkpoint was saved before it\n');
  }, PROCESS_TEST_TIMEOUT_MS);

  it('the step of the last one written before it', async () => {
    const r = await runMain('train', file('blowup.gan', spec('  dense 16', 'optimizer G sgd lr 1e30\ntrain steps 40 checkpoint 1 sample 1000 eval 1000\n')),
      '--out', join(scratch, 'runs'), '--backend', 'cpu');
    expect(r.status).toBe(1);
    const [, step, kept] = /^training diverged at step (\d+): \S+ is \S+; the run keeps its last good checkpoint \(step (\d+)\)\n$/.exec(r.stderr) ?? [];
    expect(Number(kept)).toBe(Number(step) - 1);
  }, PROCESS_TEST_TIMEOUT_MS);
});
