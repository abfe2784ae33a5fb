// Kills a process that is writing checkpoints at random moments; after every kill the latest checkpoint
// must load and be complete and consistent (the atomic-write guarantee of checkpoint.ts).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/runtime/rng.js';
import { loadLatestCheckpoint } from '../../../src/runtime/run/checkpoint.js';
import { expectedValue, TENSOR_SIZES } from './fixtures/checkpoint-writer.js';
import { tempDir } from './temp-dir.js';

const WRITER = fileURLToPath(new URL('./fixtures/checkpoint-writer.ts', import.meta.url));
const KILLS = 6;

/**
 * Starts the writer, waits until it has reported `savesFirst` saves (so the kill lands mid-loop however
 * slow the machine is), waits `delayMs` more and kills it. Returns the last step it reported saved.
 */
async function runAndKill(runDir: string, savesFirst: number, delayMs: number): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, runDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('ready\n') && (stdout.match(/saved /g)?.length ?? 0) >= savesFirst) resolve();
    });
    child.on('exit', () => reject(new Error(`writer exited early: ${stderr}`)));
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
    for (let round = 0; round < KILLS; round++) {
      // The first round must complete one save, so that every kill has a checkpoint to check.
      const savesFirst = round === 0 ? 1 : rng.int(3);
      const lastReported = await runAndKill(runDir, savesFirst, rng.int(150));
      const { step, state, tensors } = loadLatestCheckpoint(runDir);
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
    }
  });
});
