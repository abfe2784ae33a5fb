// The CLI's behaviour. A few cases spawn the built binary as a user runs it (exit codes, output,
// no stack trace, start-up time); the rest run main() in-process, which is the same code path.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, ganc, ROOT } from './built-cli.js';
import { runMain } from './in-process.js';

const SPECS = ['dcgan', 'gnd', 'gngan', 'l2-bn', 'pgn', 'ring8', 'sngan', 'wgan-gp'].map((s) => `specs/${s}.gan`);
const STACK_TRACE = /^\s+at .+\(.*:\d+:\d+\)$|^\s+at .*:\d+:\d+$/m;

let scratch: string;
const scratchFile = (name: string, text: string): string => {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
};

beforeAll(() => {
  buildCli();
  scratch = mkdtempSync(join(tmpdir(), 'ganc-cli-'));
});

describe('ganc check', () => {
  it('passes every spec, quickly', () => {
    ganc('check', ...SPECS); // warm the file cache, as a second run by a person would be
    const r = ganc('check', ...SPECS);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(SPECS.map((s) => `${s}: ok`));
    console.log(`ganc check on ${SPECS.length} specs: ${r.ms.toFixed(0)} ms wall (target < 1000 ms on an idle machine)`);
    expect(r.ms).toBeLessThan(5000);
  });

  it('prints file:line:col: message, the line and a caret, and exits 1', () => {
    const file = scratchFile('bad.gan', readFileSync(join(ROOT, 'specs/ring8.gan'), 'utf8').replace('loss nonsaturating', 'loss hinj'));
    const r = ganc('check', file);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe([
      `${file}:20:6: unknown loss 'hinj' (did you mean 'hinge'?)`,
      'loss hinj',
      '     ^',
      '1 error in 1 file',
      '',
    ].join('\n'));
  });

  it('reports every error of every file and still says which files are fine', async () => {
    const syntax = scratchFile('syntax.gan', 'gan x y\nlet a 3\n');
    const r = await runMain('check', 'specs/ring8.gan', syntax);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('specs/ring8.gan: ok\n');
    expect(r.stderr).toContain(`${syntax}:1:7: expected end of line, found 'y'`);
    expect(r.stderr).toContain(`${syntax}:2:7: expected '=' in a 'let' statement, found '3'`);
    expect(r.stderr).toMatch(/2 errors in 1 file\n$/);
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  it('says a missing file is missing', async () => {
    const r = await runMain('check', 'specs/nope.gan');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('specs/nope.gan: cannot read: no such file\n1 error in 1 file\n');
  });

  it('shows the first 50 errors of a file and counts the rest', async () => {
    const file = scratchFile('noise.gan', '= 1\n'.repeat(60));
    const r = await runMain('check', file);
    expect(r.status).toBe(1);
    expect(r.stderr.match(/cannot start a line/g)).toHaveLength(50);
    expect(r.stderr).toMatch(new RegExp(`${file}: 10 more errors not shown\n60 errors in 1 file\n$`));
  });

  it('rejects a nesting bomb cleanly', async () => {
    const file = scratchFile('deep.gan', `reg ${'('.repeat(500)}gp${')'.repeat(500)}\n`);
    const r = await runMain('check', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}:1:69: expression nested too deeply`);
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });
});

describe('ganc fmt', () => {
  const messy = 'gan x\ndata ring8\nlatent normal 2\ngenerator\ndense 2\ndiscriminator\ndense   1\nreg 0.1*r1\n';
  const canonical = 'gan x\ndata ring8\nlatent normal 2\n\ngenerator\n  dense 2\n\ndiscriminator\n  dense 1\n\nreg 0.1 * r1\n';

  it('prints the canonical form to stdout', async () => {
    const r = await runMain('fmt', scratchFile('messy.gan', messy));
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(canonical);
  });

  it('--check fails on an unformatted file and --write fixes it', async () => {
    const file = scratchFile('fix.gan', messy);
    expect(await runMain('fmt', '--check', file)).toMatchObject({ status: 1, stderr: `${file}: not formatted (run: ganc fmt --write ${file})\n` });
    expect((await runMain('fmt', '--write', file)).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(canonical);
    expect(await runMain('fmt', '--check', file)).toMatchObject({ status: 0, stderr: '' });
  });

  it('does not format a file with syntax errors', async () => {
    const file = scratchFile('broken.gan', 'gan x y\n');
    const r = await runMain('fmt', '--write', file);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${file}:1:7: expected end of line, found 'y'\ngan x y\n      ^`);
    expect(readFileSync(file, 'utf8')).toBe('gan x y\n');
  });
});

describe('ganc compile', () => {
  it('--emit ir prints the golden IR', () => {
    const r = ganc('compile', 'specs/gnd.gan', '--emit', 'ir');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(readFileSync(join(ROOT, 'test/golden/gnd.ir.json'), 'utf8')));
  });

  it('--emit params prints the parameter table', async () => {
    const r = await runMain('compile', 'specs/sngan.gan', '--emit', 'params');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^name\s+shape\s+layout\s+trainable$/);
    expect(lines).toContainEqual(expect.stringMatching(/^D\.0\.conv\.kernel\s+\[3, 3, 1, 64\]\s+kh,kw,in,out\s+yes$/));
    expect(lines).toContainEqual(expect.stringMatching(/^D\.0\.conv\.sn_u\s+\[64\]\s+out\s+no$/));
    expect(lines).toContainEqual(expect.stringMatching(/^G\.2\.batchnorm\.running_var\s+\[128\]\s+c\s+no$/));
  });

  it('--emit params --json prints the parameters as JSON', async () => {
    const r = await runMain('compile', 'specs/ring8.gan', '--emit', 'params', '--json');
    expect(r.status).toBe(0);
    const params = JSON.parse(r.stdout) as { name: string }[];
    expect(params.map((p) => p.name)).toContain('D.4.dense.bias');
  });

  it('prints diagnostics for a spec that does not check', async () => {
    const file = scratchFile('shape.gan', readFileSync(join(ROOT, 'specs/ring8.gan'), 'utf8').replace('  dense 2\n', '  dense 3\n'));
    const r = await runMain('compile', file, '--emit', 'ir');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${file}:11:3: the generator's output is [3] but the data shape is [2]`);
  });
});

describe('usage errors', () => {
  it('a missing argument: exit 1, a message, no stack trace (spawned)', () => {
    const r = ganc('check');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("error: missing required argument 'files'");
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  it.each([
    [['compile', 'specs/ring8.gan', '--emit', 'graphs'], "error: option '--emit <what>' argument 'graphs' is invalid"],
    [['fmt', '--write', '--check', 'specs/ring8.gan'], 'use --write or --check, not both'],
    [['check', '--bogus', 'specs/ring8.gan'], "error: unknown option '--bogus'"],
  ])('ganc %j exits 1 with a message', async (args, message) => {
    const r = await runMain(...args);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  it('check --help shows the usage and exits 0', async () => {
    const r = await runMain('check', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: ganc check [options] <files...>');
  });
});
