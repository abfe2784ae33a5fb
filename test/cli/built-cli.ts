// The CLI as users run it: bin/ganc.js over the compiled front end. The tests compile it into
// .cache/cli-test (only the front end, so work in progress elsewhere in src/ cannot break them).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, '.cache', 'cli-test');
export const GANC = join(OUT, 'bin', 'ganc.js');

/**
 * Only the front end is compiled (tsconfig.cli.json: its files, `noResolve`), so the test neither waits
 * for nor depends on the rest of src/. Without resolution tsc reports the imports it did not follow;
 * that is expected, and type errors are the typecheck's business: the build counts as done when the
 * front end's files are there.
 */
export function buildCli(): void {
  rmSync(OUT, { recursive: true, force: true });
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p',
    join(ROOT, 'test', 'cli', 'tsconfig.cli.json')], { encoding: 'utf8' });
  const needed = ['cli/main.js', 'cli/commands/check.js', 'cli/commands/fmt.js', 'cli/commands/compile.js'];
  if (!needed.every((f) => existsSync(join(OUT, 'dist', f)))) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
  mkdirSync(dirname(GANC), { recursive: true });
  copyFileSync(join(ROOT, 'bin', 'ganc.js'), GANC);
  copyFileSync(join(ROOT, 'src', 'ir', 'ir.schema.json'), join(OUT, 'dist', 'ir', 'ir.schema.json'));
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function ganc(...args: string[]): Run {
  const started = performance.now();
  const r = spawnSync(process.execPath, [GANC, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - started };
}
