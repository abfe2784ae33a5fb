// Issue 15, item 8: inputs that `check` passed and that then hung or ate memory (batch 1e9 held a
// worker, ndis 1e9 never finished step 1, size 30000 took 2.9 GB in 90 s, a 5 MB spec of lets 1.27 GB
// and 14 s, /dev/zero as a checkpoint or probe file read forever) are each refused with exit 1 within
// a second, measured through the CLI once its modules are loaded.
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROCESS_TEST_TIMEOUT_MS } from '../helpers/cli-processes.js';
import { runMain } from './in-process.js';
import { ring8Spec } from '../helpers/tiny-specs.js';

const RING8 = ring8Spec({ name: 'bounded', batch: 16, width: 16, dActivation: 'relu', train: 'steps 2 seed 1 checkpoint 2 sample 1000 eval 1000' });

/** An image spec on a folder: G makes size×size grey images, D flattens them. */
const folderSpec = (folder: string, size: number) => `gan bounded_folder
data folder "${folder}" size ${size} channels 1 batch 4
latent normal 2
generator
  dense ${size * size}
  reshape ${size} ${size} 1
discriminator
  flatten
  dense 1
loss nonsaturating
`;

let scratch: string;
let run: string;
const file = (name: string, text: string): string => {
  writeFileSync(join(scratch, name), text);
  return join(scratch, name);
};

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'ganc-hang-bounds-'));
  // Also loads every module the commands below use, so that the timings are the refusals' own.
  const r = await runMain('train', file('ring8.gan', RING8), '--out', join(scratch, 'runs'), '--backend', 'cpu');
  expect(r.status, r.stderr).toBe(0);
  run = /^run: (.+)$/m.exec(r.stdout)![1];
  expect((await runMain('sample', run, '--out', join(scratch, 'warm.png'), '--backend', 'cpu')).status).toBe(0);
}, PROCESS_TEST_TIMEOUT_MS);

/** A run whose latest checkpoint is `device`. */
function runWithCheckpoint(name: string, device: string): string {
  const copy = join(scratch, name);
  mkdirSync(join(copy, 'checkpoints'), { recursive: true });
  cpSync(join(run, 'ir.json'), join(copy, 'ir.json'));
  symlinkSync(device, join(copy, 'checkpoints', 'step-000002.safetensors'));
  writeFileSync(join(copy, 'checkpoints', 'latest'), 'step-000002.safetensors\n');
  return copy;
}

type Case = [name: string, args: () => string[], says: RegExp];

const CASES: Case[] = [
  ['batch 1e9', () => ['train', file('batch.gan', RING8.replace('batch 16', 'batch 1e9')), '--out', join(scratch, 'r1')], /batch is 1000000000; at most 65536/],
  ['ndis 1e9', () => ['train', file('ndis.gan', RING8.replace('train steps 2', 'train ndis 1e9 steps 2')), '--out', join(scratch, 'r2')], /ndis is 1000000000; at most 100/],
  ['window 1e9', () => ['train', file('window.gan', `${RING8}reg R_t window 1e9\n`), '--out', join(scratch, 'r3')], /window is 1000000000; at most 10000/],
  ['data folder size 30000', () => ['check', file('size.gan', folderSpec('imgs', 30000))], /image size is 30000; at most 1024/],
  ['dense 100000 twice', () => ['check', file('dense.gan', RING8.replace('  dense 16\n  relu\n  dense 2', '  dense 100000\n  dense 100000\n  dense 2'))], /this layer is too large/],
  ['a step over the memory budget', () => ['train', file('memory.gan', RING8.replace('batch 16', 'batch 4096').replace('  dense 16\n  relu\n  dense 2', '  dense 400000\n  dense 2'))],
    /more than the memory budget of 8 GiB/],
  ['a 5 MB spec of lets', () => ['check', file('lets.gan', `${RING8}${Array.from({ length: 300_000 }, (_, i) => `let a${i} = ${i}`).join('\n')}\n`)], /more than the 128 KiB a spec may be/],
  ['a checkpoint that is /dev/zero (sample)', () => ['sample', runWithCheckpoint('zero-run', '/dev/zero'), '--out', join(scratch, 'x.png'), '--backend', 'cpu'], /it is a character device, not a regular file/],
  ['a checkpoint that is /dev/urandom (eval)', () => ['eval', runWithCheckpoint('urandom-run', '/dev/urandom'), '--n', '8', '--backend', 'cpu'], /it is a character device, not a regular file/],
  ['probe --params /dev/zero', () => ['probe', join(scratch, 'ring8.gan'), '--params', '/dev/zero', '--batch', '/dev/urandom', '--json', '--backend', 'cpu'], /^\/dev\/zero: cannot read the safetensors file: it is a character device/],
  ['probe --batch /dev/urandom', () => ['probe', join(scratch, 'ring8.gan'), '--params', join(scratch, 'ring8.gan'), '--batch', '/dev/urandom', '--json', '--backend', 'cpu'], /file too short|header length|not valid JSON|character device/],
  ['a folder too large to decode', () => {
    const images = join(scratch, 'many');
    mkdirSync(images);
    for (let i = 0; i < 342; i++) writeFileSync(join(images, `${i}.png`), 'not decoded');
    return ['train', file('many.gan', folderSpec(images, 1024).replace('channels 1', 'channels 3').replace(/dense \d+\n  reshape 1024 1024 1/, 'dense 3\n  reshape 1 1 3\n  deconv 3 kernel 1024 stride 1024')), '--out', join(scratch, 'r4'), '--backend', 'cpu'];
  }, /342 images at 1024×1024×3 take 4\.0 GiB decoded, more than the 4 GiB limit/],
];

describe('former hangs end within a second', () => {
  it.each(CASES)('%s', async (_name, args, says) => {
    const argv = args();
    const started = performance.now();
    const r = await runMain(...argv);
    const elapsed = performance.now() - started;
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(says);
    expect(elapsed, `${argv[0]} took ${Math.round(elapsed)} ms`).toBeLessThan(1000);
  }, 10_000);
});
