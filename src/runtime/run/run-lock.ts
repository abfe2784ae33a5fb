// One writer per run directory: `train` (fresh or `--resume`) holds `<run>/lock` while it trains, so a
// second `train --resume` of the same run fails at once instead of interleaving checkpoints and
// metrics with the first. The lock file names its holder (`pid host`); a lock left by a process that
// no longer exists (kill -9, a crash) is taken over. The lock file also tells training that its run
// directory is still where it was: deleting or moving the run removes it from under the trainer.
import { hostname } from 'node:os';
import { join } from 'node:path';
import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { UserError } from '../../errors.js';
import { asFileError } from '../../files.js';

export const LOCK_FILE = 'lock';

/** Another process is training this run, or the run directory went away during training. */
export class RunLockError extends UserError {}

export interface RunLock {
  readonly path: string;
  /** Throws RunLockError when the run directory (and so the lock) is no longer there. */
  assertHeld(step: number): void;
  /** Removes the lock if it is still this process's. */
  release(): void;
}

interface Holder {
  pid: number;
  host: string;
}

function readHolder(path: string): Holder | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').slice(0, 512);
  } catch {
    return undefined;
  }
  const match = /^(\d+) (\S+)\n?$/.exec(text);
  return match ? { pid: Number(match[1]), host: match[2] } : undefined;
}

/** Whether a process with this pid exists on this machine (EPERM: it exists but belongs to someone else). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the run's lock or throws RunLockError naming the process that holds it. The lock file is
 * written complete under a temporary name and hard-linked into place, which fails if a lock exists:
 * no reader ever sees a half-written one.
 */
export function lockRun(runDir: string): RunLock {
  const path = join(runDir, LOCK_FILE);
  const host = hostname();
  const mine = `${process.pid} ${host}\n`;
  const temp = join(runDir, `.${LOCK_FILE}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, mine);
  } catch (e) {
    throw asFileError(e, runDir, 'lock the run directory for training');
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(temp, path);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw asFileError(e, path, 'create the lock file');
      }
      const holder = readHolder(path);
      const stale = holder !== undefined && holder.host === host && !isAlive(holder.pid);
      if (!stale || attempt > 0) {
        const who = holder ? `process ${holder.pid}${holder.host === host ? '' : ` on ${holder.host}`}` : 'another process';
        throw new RunLockError(`${runDir}: ${who} is training this run (lock file ${path}); wait for it to end, or remove the lock file if it is gone`);
      }
      // Left by a process that died without releasing it: take it over.
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(temp, { force: true });
  }
  return {
    path,
    assertHeld(step) {
      if (!existsSync(path)) {
        throw new RunLockError(`${runDir}: the run directory was deleted or moved during training (its lock file is gone at step ${step}); stopping`);
      }
    },
    release() {
      const holder = readHolder(path);
      if (holder && holder.pid === process.pid && holder.host === host) rmSync(path, { force: true });
    },
  };
}
