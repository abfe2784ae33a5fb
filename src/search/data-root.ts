// Which data a queue worker may read. A job's spec names its data folder (`data folder`, `data mnist-idx`,
// `data cifar10`: each reads files from a folder PATH) and the spec file that anchors a relative one, both
// written by whoever pushed the job; so the worker resolves the folder, follows every symlink (realpath),
// and trains only when the real folder, and everything a symlink inside it leads to (the data loaders
// follow them), lies inside its own --data-root. Built-in data sets (ring8, grid25, mnist) read no user
// files and are always allowed.
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { GanIR } from '../ir/ir.js';
import { UserError } from '../errors.js';
import { escapeControl } from '../sanitize.js';

export interface DataPolicy {
  /** The real path (symlinks resolved) under which folder data must lie; null: no folder data at all. */
  root: string | null;
  /** The root as given (absolute, symlinks kept): a path written through a symlink to the root is fine too. */
  given?: string;
}

/** `--data-root DIR` as a policy: DIR must be an existing folder; its real path is what jobs are held to. */
export function dataPolicy(dataRoot: string | undefined): DataPolicy {
  if (dataRoot === undefined) return { root: null };
  let real: string;
  try {
    real = realpathSync(dataRoot);
  } catch (e) {
    throw new UserError(`--data-root ${escapeControl(dataRoot)}: not found (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!statSync(real).isDirectory()) throw new UserError(`--data-root ${escapeControl(dataRoot)}: not a folder`);
  return { root: real, given: resolve(dataRoot) };
}

export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * The IR with its folder data set's path replaced by the folder's checked real path, or a UserError
 * saying why this worker will not read it. Nothing is read but the path's own metadata.
 */
export function confineData(ir: GanIR, specFile: string, policy: DataPolicy): GanIR {
  if (ir.data.path === undefined) return ir;
  const shown = `data ${ir.data.kind} "${escapeControl(ir.data.path)}"`;
  if (policy.root === null) throw new UserError(`${shown}: this worker reads no data folders (start it with --data-root DIR)`);
  const wanted = resolve(dirname(specFile), ir.data.path);
  // Checked as written first, so a job cannot probe whether paths outside the root exist.
  const writtenInside = isInside(policy.root, wanted) || (policy.given !== undefined && isInside(policy.given, wanted));
  if (!writtenInside) throw new UserError(`${shown} is outside this worker's data root`);
  let real: string;
  try {
    real = realpathSync(wanted);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new UserError(`${shown}: not found under this worker's data root (${code === 'ENOENT' ? 'no such folder' : code})`);
  }
  if (!isInside(policy.root, real)) throw new UserError(`${shown} is outside this worker's data root`);
  checkLinksInside(policy.root, real, shown);
  return { ...ir, data: { ...ir.data, path: real } };
}

/**
 * Every symlink under `dir` that the data loader would follow (names not starting with '.') must lead
 * inside `root`; folders are walked through their real paths, each once. Only listings inside the root
 * are read. What cannot be listed or resolved is left for the loader to report.
 */
function checkLinksInside(root: string, dir: string, shown: string): void {
  const seen = new Set([dir]);
  const pending = [dir];
  for (let folder = pending.pop(); folder !== undefined; folder = pending.pop()) {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || !(entry.isSymbolicLink() || entry.isDirectory())) continue;
      const path = join(folder, entry.name);
      let real: string;
      try {
        real = realpathSync(path);
      } catch {
        continue;
      }
      if (!isInside(root, real)) throw new UserError(`${shown}: ${escapeControl(relative(dir, path))} leads outside this worker's data root`);
      if (!seen.has(real) && statSync(real).isDirectory()) {
        seen.add(real);
        pending.push(real);
      }
    }
  }
}
