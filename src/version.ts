// Which ganc this is: the version from package.json and, in a git checkout, the commit. `ganc --version`
// prints them and every run records them in run.json. Like errors.ts this file sits above every part of
// src/ and imports none of them. It finds package.json by walking up from its own location, since it runs
// from src/ (tsx), dist/ (npm) and test builds at other depths.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface GancBuild {
  version: string;
  /** The checked-out commit (40 hex digits), or null outside a git checkout. */
  commit: string | null;
}

let cached: { root: string | null; version: string } | undefined;

/** The package's root folder and version; 'unknown' when no ganc package.json is found. */
function packageInfo(): { root: string | null; version: string } {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
        if (pkg.name === 'ganc' && typeof pkg.version === 'string') return (cached = { root: dir, version: pkg.version });
      } catch {
        // Not ours or not JSON: keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return (cached = { root: null, version: 'unknown' });
    dir = parent;
  }
}

export function gancVersion(): string {
  return packageInfo().version;
}

/** Version and commit. The commit is read from .git's files (no git binary needed); null when absent. */
export function gancBuild(): GancBuild {
  const { root, version } = packageInfo();
  return { version, commit: root ? gitCommit(root) : null };
}

function gitCommit(root: string): string | null {
  try {
    let gitDir = join(root, '.git');
    if (!existsSync(gitDir)) return null;
    // A worktree or submodule has a .git file pointing at its git directory.
    if (statSync(gitDir).isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(readFileSync(gitDir, 'utf8'));
      if (!pointer) return null;
      gitDir = resolve(root, pointer[1].trim());
    }
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40}$/.test(head)) return head;
    const ref = /^ref:\s*(.+)$/.exec(head)?.[1];
    if (!ref) return null;
    const commonDir = existsSync(join(gitDir, 'commondir')) ? resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim()) : gitDir;
    for (const dir of [gitDir, commonDir]) {
      const loose = join(dir, ref);
      if (existsSync(loose)) return readFileSync(loose, 'utf8').trim();
    }
    const packed = join(commonDir, 'packed-refs');
    if (!existsSync(packed)) return null;
    for (const line of readFileSync(packed, 'utf8').split('\n')) {
      const [hash, name] = line.split(' ');
      if (name === ref && /^[0-9a-f]{40}$/.test(hash)) return hash;
    }
    return null;
  } catch {
    return null;
  }
}
