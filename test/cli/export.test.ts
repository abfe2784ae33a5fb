// `ganc export` through the CLI: what it prints and writes, and bad input as one line on stderr with exit
// code 1 and nothing written (no --out folder, no temporary folder left beside it).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain } from './in-process.js';

/** ring8 with batch norm in D (which a tfjs LayersModel cannot express) and no EMA. */
const SPEC = `gan export_cli
data ring8 batch 16
latent normal 2
generator
  dense 16
  relu
  dense 2
discriminator
  dense 16
  batchnorm
  lrelu 0.2
  dense 1
loss nonsaturating
train steps 2 seed 3 log 1 checkpoint 2 sample 100 eval 100
`;

let scratch: string;
let run: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'ganc-export-cli-'));
  writeFileSync(join(scratch, 'export_cli.gan'), SPEC);
  const r = await runMain('train', join(scratch, 'export_cli.gan'), '--out', join(scratch, 'runs'), '--backend', 'cpu');
  expect(r.status, r.stderr).toBe(0);
  run = /^run: (.+)$/m.exec(r.stdout)![1];
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Whatever is in a folder that is not named in `expected`: leftovers of a failed export. */
const extraEntries = (dir: string, expected: string[]) => readdirSync(dir).filter((f) => !expected.includes(f));

describe('ganc export', () => {
  it('writes each format and says what it wrote', async () => {
    const out = join(scratch, 'exports');
    for (const [format, files] of [['onnx', ['D.onnx', 'G.onnx']], ['torch', ['D.safetensors', 'G.safetensors', 'model.py']]] as const) {
      const r = await runMain('export', run, '--format', format, '--net', 'both', '--out', join(out, format));
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(`${join(out, format)}: ${format === 'onnx' ? 'G.onnx, D.onnx' : 'G.safetensors, D.safetensors, model.py'}, README.md from step 2\n`);
      expect(readdirSync(join(out, format)).sort()).toEqual([...files, 'README.md'].sort());
    }
    const r = await runMain('export', run, '--format', 'tfjs', '--out', join(out, 'tfjs'));
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(join(out, 'tfjs', 'G')).sort()).toEqual(['model.json', 'weights.bin']);
    expect(extraEntries(out, ['onnx', 'torch', 'tfjs'])).toEqual([]);
  });

  it('an empty --out folder is filled', async () => {
    const out = join(scratch, 'empty');
    mkdirSync(out);
    const r = await runMain('export', run, '--format', 'onnx', '--out', out);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['G.onnx', 'README.md']);
  });

  const badInputs: [string, () => string[], RegExp][] = [
    ['not a run directory', () => ['export', scratch, '--format', 'onnx', '--out', join(scratch, 'bad', 'x')],
      /^.+: not a ganc run directory \(no ir\.json\)$/],
    ['an unknown format', () => ['export', run, '--format', 'keras', '--out', join(scratch, 'bad', 'x')],
      /^error: option '--format <format>' argument 'keras' is invalid\. Allowed choices are onnx, tfjs, torch\.$/],
    ['an unknown network', () => ['export', run, '--format', 'onnx', '--net', 'E', '--out', join(scratch, 'bad', 'x')],
      /^error: option '--net <net>' argument 'E' is invalid\. Allowed choices are G, D, both\.$/],
    ['no --format', () => ['export', run, '--out', join(scratch, 'bad', 'x')],
      /^error: required option '--format <format>' not specified$/],
    ['an --out under a file', () => ['export', run, '--format', 'onnx', '--out', join(scratch, 'bad', 'a-file', 'x')],
      /^.+\/bad\/a-file\/x: cannot write the export: a part of the path is a file, not a folder \((EEXIST|ENOTDIR)\)$/],
    ['an --out that holds files', () => ['export', run, '--format', 'onnx', '--out', join(scratch, 'bad', 'full')],
      /^.+\/bad\/full: exists and is not an empty folder; choose another --out or remove it$/],
    ['--ema on a run without EMA weights', () => ['export', run, '--format', 'onnx', '--ema', '--out', join(scratch, 'bad', 'x')],
      /^.+: the run keeps no EMA weights \(its spec trains with ema 0\); leave out --ema or pass --no-ema$/],
    ['a tfjs D with batch norm', () => ['export', run, '--format', 'tfjs', '--net', 'both', '--out', join(scratch, 'bad', 'x')],
      /^D's batchnorm normalises with each batch's statistics, which a tfjs LayersModel cannot express .*--net G$/],
  ];

  it.each(badInputs)('%s: one line, exit 1, nothing written', async (_name, args, message) => {
    const bad = join(scratch, 'bad');
    mkdirSync(join(bad, 'full'), { recursive: true });
    writeFileSync(join(bad, 'full', 'keep.txt'), 'mine');
    writeFileSync(join(bad, 'a-file'), 'not a folder');
    const r = await runMain(...args());
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2); // one line and its newline
    expect(r.stderr.trimEnd()).toMatch(message);
    expect(extraEntries(bad, ['full', 'a-file'])).toEqual([]);
    expect(readdirSync(join(bad, 'full'))).toEqual(['keep.txt']);
    expect(existsSync(join(bad, 'x'))).toBe(false);
  });
});

/** A class-conditional run: cbatchnorm in G, projection in D. */
const CONDITIONAL_SPEC = `gan export_conditional
data mnist batch 8 labels
latent normal 8 classes 10
generator
  dense 28 * 28
  reshape 28 28 1
  cbatchnorm
  tanh
discriminator
  flatten
  projection
  dense 1
loss hinge
train steps 1 seed 3 log 1 checkpoint 1 sample 100 eval 100
`;

describe('ganc export of a class-conditional run', () => {
  let dir: string;
  let conditionalRun: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ganc-export-conditional-'));
    writeFileSync(join(dir, 'c.gan'), CONDITIONAL_SPEC);
    const trained = await runMain('train', join(dir, 'c.gan'), '--out', join(dir, 'runs'), '--backend', 'cpu');
    expect(trained.status, trained.stderr).toBe(0);
    conditionalRun = /^run: (.+)$/m.exec(trained.stdout)![1];
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['G', /^G's layer 2 \(cbatchnorm\) takes each sample's class, for which exported networks have no input: class-conditional networks cannot be exported yet$/],
    ['D', /^D's layer 1 \(projection\) takes each sample's class, for which exported networks have no input: class-conditional networks cannot be exported yet$/],
    ['both', /^G's layer 2 \(cbatchnorm\) takes each sample's class/],
  ])('--net %s: refused in one line, exit 1, nothing written', async (net, message) => {
    for (const format of ['onnx', 'tfjs', 'torch']) {
      const r = await runMain('export', conditionalRun, '--format', format, '--net', net, '--out', join(dir, 'x'));
      expect(r.status, format).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(2);
      expect(r.stderr.trimEnd()).toMatch(message);
      expect(existsSync(join(dir, 'x'))).toBe(false);
    }
  });
});
