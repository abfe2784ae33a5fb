// One trainer per run directory: the lock file, its takeover after a crash, a second `train --resume`
// of a run in training refused at once in one line (through the CLI, against a real training process),
// and a run directory deleted or moved during training stopping it instead of being recreated.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLatestCheckpoint } from '../../../src/runtime/run/checkpoint.js';
import { lockRun, LOCK_FILE, RunLockError } from '../../../src/runtime/run/run-lock.js';
import { runTraining } from '../../../src/runtime/train/run-training.js';
import { exited, PROCESS_TEST_TIMEOUT_MS, spawnGanc, waitFor } from '../../helpers/cli-processes.js';
import { runMain } from '../../cli/in-process.js';
import { compileSpecText } from '../training/compile-spec.js';
import { tempDir } from './temp-dir.js';
import { ring8Spec } from '../../helpers/tiny-specs.js';

const SPEC = ring8Spec({ name: 'locked', batch: 16, width: 16, dActivation: 'relu', train: 'steps 4 seed 2 log 1 checkpoint 2 sample 1000 eval 1000' });

/** The pid of a process that has exited: nothing runs under it (until the pid is reused, long after). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

function refusal(action: () => unknown): RunLockError {
  let error: unknown;
  try {
    action();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(RunLockError);
  expect((error as Error).message).not.toContain('\n');
  return error as RunLockError;
}

describe('the run lock', () => {
  it('names its holder, refuses a second holder while held, and is gone once released', () => {
    const run = tempDir('lock');
    const lock = lockRun(run);
    expect(readFileSync(join(run, LOCK_FILE), 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
    const error = refusal(() => lockRun(run));
    expect(error.message).toBe(`${run}: process ${process.pid} is training this run (lock file ${join(run, LOCK_FILE)}); wait for it to end, or remove the lock file if it is gone`);
    lock.release();
    expect(existsSync(join(run, LOCK_FILE))).toBe(false);
    lockRun(run).release();
  });

  it('takes over the lock of a process that no longer exists (kill -9, a crash)', () => {
    const run = tempDir('lock');
    writeFileSync(join(run, LOCK_FILE), `${deadPid()} ${hostname()}\n`);
    const lock = lockRun(run);
    expect(readFileSync(join(run, LOCK_FILE), 'utf8')).toBe(`${process.pid} ${hostname()}\n`);
    lock.release();
  });

  it("refuses a lock from another machine (whose processes it cannot see) and one it cannot read", () => {
    const run = tempDir('lock');
    writeFileSync(join(run, LOCK_FILE), `${deadPid()} some-other-host\n`);
    expect(refusal(() => lockRun(run)).message).toMatch(/: process \d+ on some-other-host is training this run/);
    writeFileSync(join(run, LOCK_FILE), 'garbage');
    expect(refusal(() => lockRun(run)).message).toMatch(/: another process is training this run/);
  });

  it('does not release a lock another process has taken since', () => {
    const run = tempDir('lock');
    const lock = lockRun(run);
    writeFileSync(join(run, LOCK_FILE), `1 ${hostname()}\n`);
    lock.release();
    expect(readFileSync(join(run, LOCK_FILE), 'utf8')).toBe(`1 ${hostname()}\n`);
  });
});

describe('training and the lock', () => {
  it.each([
    ['deleted', (run: string) => rmSync(run, { recursive: true, force: true })],
    ['moved', (run: string) => renameSync(run, `${run}-moved`)],
  ])('a run directory %s during training stops it at the next step, and is not recreated', async (_how, remove) => {
    const out = tempDir('lock-runs');
    let runDir: string | undefined;
    const training = runTraining({
      outRoot: out,
      spec: { text: SPEC, file: join(out, 'locked.gan'), ir: compileSpecText(SPEC) },
      backend: 'cpu',
      onIteration: (step) => {
        if (step !== 1) return;
        runDir = join(out, onlyEntry(out));
        remove(runDir);
      },
    });
    await expect(training).rejects.toThrow(/the run directory was deleted or moved during training \(its lock file is gone at step 2\); stopping$/);
    expect(existsSync(runDir!)).toBe(false);
  }, PROCESS_TEST_TIMEOUT_MS);

  it('a second train --resume of a run in training fails at once in one line; after a kill -9 the run resumes', async () => {
    const out = tempDir('lock-cli');
    const spec = join(out, 'locked.gan');
    writeFileSync(spec, SPEC);
    const first = await runMain('train', spec, '--out', out, '--backend', 'cpu');
    expect(first.status, first.stderr).toBe(0);
    const run = /^run: (.+)$/m.exec(first.stdout)![1];

    // A long resume in another process holds the lock...
    const trainer = spawnGanc(['train', '--resume', run, '--steps', '100000', '--backend', 'cpu']);
    try {
      await waitFor('the trainer to take the lock', () => existsSync(join(run, LOCK_FILE)));
      const started = performance.now();
      const second = await runMain('train', '--resume', run, '--steps', '8', '--backend', 'cpu');
      expect(performance.now() - started).toBeLessThan(1000);
      expect(second.status).toBe(1);
      expect(second.stderr).toBe(`${run}: process ${trainer.child.pid} is training this run (lock file ${join(run, LOCK_FILE)}); wait for it to end, or remove the lock file if it is gone\n`);
    } finally {
      trainer.child.kill('SIGKILL');
      await exited(trainer.child);
    }
    // ... and, killed, leaves it behind: the next resume takes it over and trains. The killed trainer may have
    // checkpointed any number of steps by then, so the resume goes a few past its last checkpoint.
    expect(existsSync(join(run, LOCK_FILE))).toBe(true);
    const target = loadLatestCheckpoint(run).step + 4;
    const third = await runMain('train', '--resume', run, '--steps', String(target), '--backend', 'cpu');
    expect(third.status, third.stderr).toBe(0);
    expect(loadLatestCheckpoint(run).step).toBe(target);
    expect(existsSync(join(run, LOCK_FILE))).toBe(false);
  }, PROCESS_TEST_TIMEOUT_MS);
});

/** The one visible entry of a folder: the run directory training made in it. */
function onlyEntry(dir: string): string {
  const entries = readdirSync(dir).filter((e) => !e.startsWith('.'));
  expect(entries).toHaveLength(1);
  return entries[0];
}
