// The runtime commands end to end: train → sample → eval, the classifier's accuracy, bad input as one
// line with exit 1 and no run directory, and a training process SIGKILLed at random moments (during
// checkpoint writes among them) that resumes from what it left and ends with the numbers an
// uninterrupted run produces.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readMetrics } from '../../src/runtime/run/metrics-log.js';
import { Rng } from '../../src/runtime/rng.js';
import { exited, PROCESS_TEST_TIMEOUT_MS, spawnGanc, waitFor } from '../helpers/cli-processes.js';
import { runMain } from './in-process.js';
import { ring8Spec } from '../helpers/tiny-specs.js';

const TINY_RING8 = ring8Spec({ lines: ['let gamma = 1', 'reg gamma * r1'], train: 'steps 300 ema 0.99 seed 3 log 1 checkpoint 7 sample 100 eval 100' });

let scratch: string;
let specFile: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'ganc-train-cli-'));
  specFile = join(scratch, 'tiny_ring8.gan');
  writeFileSync(specFile, TINY_RING8);
});

const runDirOf = (stdout: string): string => /^run: (.+)$/m.exec(stdout)![1];

describe('train, sample, eval', () => {
  it('trains a spec, draws a PNG grid from the run, and scores it', async () => {
    const out = join(scratch, 'runs-a');
    const trained = await runMain('train', specFile, '--steps', '40', '--out', out, '--backend', 'cpu');
    expect(trained.stderr).not.toMatch(/Error|at .*\.ts:\d+/);
    expect(trained.status).toBe(0);
    const run = runDirOf(trained.stdout);
    expect(readdirSync(run).sort()).toEqual(['checkpoints', 'ir.json', 'metrics.jsonl', 'report.html', 'run.json', 'samples', 'spec.gan']);
    expect(readMetrics(join(run, 'metrics.jsonl')).map((e) => e.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));

    const png = join(scratch, 'grid.png');
    const sampled = await runMain('sample', run, '--n', '100', '--out', png, '--backend', 'cpu');
    expect(sampled.status).toBe(0);
    expect(sampled.stdout).toContain('100 samples from step 40 (EMA weights)');
    const image = PNG.sync.read(readFileSync(png));
    expect(image.width).toBeGreaterThan(100);

    const evaluated = await runMain('eval', run, '--n', '500', '--json', '--backend', 'cpu');
    expect(evaluated.status).toBe(0);
    const scores = JSON.parse(evaluated.stdout);
    expect(scores).toMatchObject({ run, step: 40, n: 500 });
    expect(scores.modes).toBeGreaterThanOrEqual(0);
    expect(scores.modes).toBeLessThanOrEqual(8);
    expect(scores.hq_share).toBeGreaterThanOrEqual(0);
  });

  it('ganc eval --classifier reproduces the classifier\'s stated held-out accuracy', async () => {
    const { status, stdout } = await runMain('eval', '--classifier', '--json', '--backend', 'cpu');
    expect(status).toBe(0);
    const { accuracy, stated, heldOut } = JSON.parse(stdout);
    expect(accuracy).toBeGreaterThanOrEqual(0.98);
    expect(Math.abs(accuracy - stated)).toBeLessThanOrEqual(2 / heldOut);
  });
});

describe('bad input', () => {
  it.each([
    ['a missing spec', ['train', 'no-such.gan'], /^no-such\.gan: cannot read: no such file$/],
    ['a missing data folder', ['train', 'FOLDER_SPEC'], /no-such-images/],
    ['a run that is not one', ['sample', 'NOT_A_RUN'], /not a ganc run directory/],
    ['a spec and --resume together', ['train', 'no-such.gan', '--resume', 'x'], /either a spec file or --resume/],
    ['a bad --steps', ['train', 'no-such.gan', '--steps', 'ten'], /--steps: expected an integer ≥ 1, got 'ten'/],
  ])('%s: one line, exit 1, no run directory', async (_name, args, message) => {
    const folderSpec = join(scratch, 'folder.gan');
    writeFileSync(folderSpec, TINY_RING8.replace('data ring8 batch 64', 'data folder "no-such-images" size 8 channels 1').replace('dense 2\ndisc', 'dense 64\n  reshape 8 8 1\ndisc').replace('discriminator\n', 'discriminator\n  flatten\n'));
    const notARun = join(scratch, 'not-a-run');
    mkdirSync(notARun, { recursive: true });
    const out = join(scratch, 'runs-bad');
    const resolved = args.map((a) => (a === 'FOLDER_SPEC' ? folderSpec : a === 'NOT_A_RUN' ? notARun : a));
    const { status, stderr } = await runMain(...resolved, ...(resolved[0] === 'train' ? ['--out', out] : []));
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});

describe('killed while training', () => {
  it('resumes after SIGKILLs at random moments and matches an uninterrupted run', async () => {
    const straight = await runMain('train', specFile, '--out', join(scratch, 'straight'), '--backend', 'cpu');
    expect(straight.status).toBe(0);
    const expected = readMetrics(join(runDirOf(straight.stdout), 'metrics.jsonl'));

    const rng = Rng.fromSeed(11);
    const out = join(scratch, 'killed');
    let args = ['train', specFile, '--out', out, '--backend', 'cpu'];
    let run: string | undefined;
    for (let kill = 0; kill < 4; kill++) {
      const proc = spawnGanc(args);
      run ??= await waitFor('the run directory', () => existsSync(out) && readdirSync(out).map((d) => join(out, d))[0]);
      const checkpoints = join(run, 'checkpoints');
      // Once a checkpoint exists, kill at a random moment: checkpoints come every 7 steps, so some
      // kills land inside a checkpoint write.
      await waitFor('a checkpoint', () => {
        if (existsSync(checkpoints) && readdirSync(checkpoints).some((f) => f.endsWith('.safetensors'))) return true;
        // A child that ended without a checkpoint will never write one: say why at once, with what it printed.
        if (proc.child.exitCode !== null || proc.child.signalCode !== null) {
          throw new Error(`the training ended (${proc.child.exitCode ?? proc.child.signalCode}) before a checkpoint:\n${proc.lines.join('\n')}`);
        }
        return false;
      });
      await new Promise((r) => setTimeout(r, rng.int(400)));
      proc.child.kill('SIGKILL');
      await exited(proc.child);
      expect(proc.child.signalCode, 'the run was still training when killed').toBe('SIGKILL');
      args = ['train', '--resume', run, '--backend', 'cpu'];
    }
    const finished = await runMain(...args);
    expect(finished.stderr).toMatch(/resuming .* from step \d+/);
    expect(finished.status).toBe(0);
    const resumed = readMetrics(join(run!, 'metrics.jsonl'));
    const numbers = (entries: typeof expected) => entries.map(({ step, losses, terms, grad_norms }) => ({ step, losses, terms, grad_norms }));
    expect(numbers(resumed)).toEqual(numbers(expected));
  }, PROCESS_TEST_TIMEOUT_MS);
});
