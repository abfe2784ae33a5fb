// Kills a process that is writing checkpoints at random moments; after every kill the latest checkpoint
// must load and be complete and consistent (the atomic-write guarantee of checkpoint.ts).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/runtime/rng.js';
import { CheckpointError, loadLatestCheckpoint } from '../../../src/runtime/run/checkpoint.js';
import { expectedValue, TENSOR_SIZES } from './fixtures/checkpoint-writer.js';
import { tempDir } from './temp-dir.js';

const WRITER = fileURLToPath(new URL('./fixtures/checkpoint-writer.ts', import.meta.url));
const KILLS = 8;

/** Starts the writer, waits until it is writing, kills it after `delayMs`; returns the last step it reported saved. */
async function runAndKill(runDir: string, delayMs: number): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, runDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('ready\n')) resolve();
    });
    child.on('exit', () => reject(new Error(`writer exited before it was ready: ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  const saved = [...stdout.matchAll(/saved (\d+)\n/g)].map((m) => Number(m[1]));
  return saved.at(-1) ?? null;
}

describe('checkpoints under SIGKILL', () => {
  it(`the latest checkpoint is complete and consistent after each of ${KILLS} kills at random moments`, async () => {
    const runDir = tempDir('kill');
    const rng = Rng.fromSeed(20261124);
    let previousStep = 0;
    let verified = 0;
    for (let round = 0; round < KILLS; round++) {
      const delayMs = 20 + rng.int(500);
      const lastReported = await runAndKill(runDir, delayMs);
      let loaded;
      try {
        loaded = loadLatestCheckpoint(runDir);
      } catch (e) {
        // Only acceptable when the very first checkpoint had not been completed yet.
        expect(e).toBeInstanceOf(CheckpointError);
        expect(previousStep).toBe(0);
        expect(lastReported).toBeNull();
        continue;
      }
      const { step, state, tensors } = loaded;
      // "saved N" is printed after saveCheckpoint returns; one more may have completed unreported.
      const lastKnown = lastReported ?? previousStep;
      expect([lastKnown, lastKnown + 1]).toContain(step);
      expect(state).toEqual({ step, rng: [step, 1, 2, 3], window: [step / 3] });
      Object.entries(TENSOR_SIZES).forEach(([name, size], t) => {
        const data = tensors[name].data;
        expect(data.length).toBe(size);
        for (let i = 0; i < size; i += 997) expect(data[i]).toBe(expectedValue(step, t, i));
        expect(data[size - 1]).toBe(expectedValue(step, t, size - 1));
      });
      previousStep = step;
      verified++;
    }
    expect(verified).toBeGreaterThanOrEqual(KILLS - 1);
  });
});
