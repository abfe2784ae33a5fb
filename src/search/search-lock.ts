// One coordinator per search directory. Two coordinators on one directory would both train every
// remaining trial and overwrite each other's search-state.json, so a coordinator holds
// SEARCH_DIR/search.lock (its pid and host) while it runs, and a second one fails at once with one
// line. A coordinator that was killed leaves its lock behind; the next one on the same host sees that
// the pid is gone and takes the lock over. A lock from another host (a shared file system) cannot be
// checked that way: the message says which file to delete.
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { escapeControl } from '../sanitize.js';

export const LOCK_FILE = 'search.lock';

export class SearchLockError extends UserError {}

interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

function parseHolder(text: string): LockHolder | null {
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (Number.isSafeInteger(value.pid) && typeof value.host === 'string' && typeof value.since === 'string') return value as LockHolder;
  } catch {
    // not a lock ganc wrote: treated as held, see below
  }
  return null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists and belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const readIfThere = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
};

/**
 * Takes the lock of search directory `dir` (which must exist) and returns the function that releases
 * it, or throws a SearchLockError naming who holds it. `command` names the coordinator in messages
 * (`ganc compare` holds its directory the same way).
 */
export function lockSearchDir(dir: string, command = 'ganc search'): () => void {
  const path = join(dir, LOCK_FILE);
  const text = `${JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() })}\n`;
  const fail = (why: string): SearchLockError => new SearchLockError(`${escapeControl(dir)}: ${why}`);
  // Written whole under a private name, then linked into place: link(2) fails when the lock exists, so
  // no one ever reads a half-written lock, and of two coordinators starting together exactly one wins.
  const temp = join(dir, `.${LOCK_FILE}.${process.pid}.${Math.random().toString(36).slice(2, 8)}`);
  try {
    writeFileSync(temp, text, { flag: 'wx' });
  } catch (e) {
    throw fail(`cannot write ${LOCK_FILE} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        linkSync(temp, path);
        return () => {
          if (readIfThere(path) === text) unlinkSync(path);
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw fail(`cannot create ${LOCK_FILE} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      const held = readIfThere(path);
      if (held === null) continue; // released meanwhile
      const holder = parseHolder(held);
      if (!holder) throw fail(`${LOCK_FILE} is not a ganc lock; if no ${command} runs on this directory, delete ${escapeControl(path)}`);
      const stale = holder.host === hostname() && holder.pid !== process.pid && !alive(holder.pid);
      if (!stale) {
        const who = `pid ${holder.pid} on ${escapeControl(holder.host)} since ${escapeControl(holder.since)}`;
        const hint = holder.host === hostname() ? '' : `; if it no longer runs, delete ${escapeControl(path)}`;
        throw fail(`another ${command} is running on this directory (${who})${hint}`);
      }
      takeOverStale(path, held);
    }
    throw fail(`could not take ${LOCK_FILE}: other coordinators keep taking it`);
  } finally {
    unlinkSync(temp);
  }
}

/**
 * Removes a dead coordinator's lock, unless another coordinator replaced it since it was read: the lock
 * is moved aside (atomic) and, when what was moved is not the stale lock, put back.
 */
function takeOverStale(path: string, staleText: string): void {
  const aside = `${path}.stale.${process.pid}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else moved it first
    throw e;
  }
  try {
    if (readFileSync(aside, 'utf8') !== staleText) {
      try {
        linkSync(aside, path);
      } catch {
        // a third coordinator holds the lock now: it is theirs either way
      }
    }
  } finally {
    unlinkSync(aside);
  }
}
