// Writes a benchmark's figures as JSON, with what they were measured on: date, commit, cores and the
// machine's load around the runs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname } from 'node:path';
import { REPO_ROOT } from './child-run.js';

/** The commit measured, marked dirty when the work tree differs from it (others' kernels change under the bench). */
function measuredCommit(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).trim();
  try {
    const dirty = git('status', '--porcelain', '--untracked-files=no', '--', 'src', 'native', 'bench').length > 0;
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? '-dirty' : ''}`;
  } catch {
    return 'unknown';
  }
}

export function writeBenchResults(out: string, load: { before: number[]; after: number[] }, figures: Record<string, unknown>): void {
  mkdirSync(dirname(out), { recursive: true });
  const record = { date: new Date().toISOString(), commit: measuredCommit(), cores: cpus().length, load, ...figures };
  writeFileSync(out, `${JSON.stringify(record, null, 2)}\n`);
  console.log(`\nwrote ${out}`);
}
