// Runs one benchmark configuration in a child process and reads the JSON line it prints last.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export type ChildOutcome<T> = { ok: true; result: T } | { ok: false; error: string };

/** A child still running after `timeoutS` seconds (0: no limit) is killed and reported as failed. */
export function runJsonChild<T>(command: string, args: string[], env: Record<string, string> = {}, timeoutS = 0): Promise<ChildOutcome<T>> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let timedOut = false;
    const timer = timeoutS > 0 ? setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutS * 1000) : undefined;
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk; });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk; });
    child.on('error', (err) => resolve({ ok: false, error: err.message }));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) {
        resolve({ ok: false, error: `timed out after ${timeoutS} s` });
        return;
      }
      const last = stdout.trim().split('\n').pop() ?? '';
      if (code === 0) {
        try {
          resolve({ ok: true, result: JSON.parse(last) as T });
          return;
        } catch { /* reported below with the child's own words */ }
      }
      const lines = stderr.trim().split('\n').filter((l) => l && !l.startsWith('    at '));
      resolve({ ok: false, error: `exit ${code}: ${lines.slice(-2).join(' | ') || last}` });
    });
  });
}

/** A ganc configuration through bench/train-one.ts, in a node process of its own (tsx as a loader, no wrapper process). */
export function runGancChild<T>(args: string[], env: Record<string, string> = {}, timeoutS = 0): Promise<ChildOutcome<T>> {
  return runJsonChild<T>(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'bench/train-one.ts'), ...args], env, timeoutS);
}
