import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProgress, formatEta } from '../../../src/runtime/run/progress.js';

/** Collects what is written; `isTTY` decides whether it passes for a terminal. */
class CapturedStream extends Writable {
  text = '';
  columns = 160;
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** A clock that advances 10 ms per call: 100 steps per second when read once per step. */
function fakeClock(): () => number {
  let ms = 0;
  return () => (ms += 10);
}

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('progress without a terminal', () => {
  it('prints a plain line every K steps and the last step at stop, never on stdout', () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    const stream = new CapturedStream(false);
    const progress = createProgress({ totalSteps: 1000, stream, logEvery: 100, now: fakeClock() });
    for (let step = 1; step <= 250; step++) progress.update(step, { D: 0.51234, G: 1.2 });
    progress.message('checkpoint saved at step 200');
    progress.stop();
    const lines = stream.text.trimEnd().split('\n');
    expect(lines).toEqual([
      'step 100/1000 (10%) | 100 step/s | ETA 9s | D 0.5123 G 1.2',
      'step 200/1000 (20%) | 100 step/s | ETA 8s | D 0.5123 G 1.2',
      'checkpoint saved at step 200',
      'step 250/1000 (25%) | 100 step/s | ETA 8s | D 0.5123 G 1.2',
    ]);
    expect(stdout).not.toHaveBeenCalled();
  });

  it('with CI set, a terminal also gets plain lines', () => {
    vi.stubEnv('CI', 'true');
    const stream = new CapturedStream(true);
    const progress = createProgress({ totalSteps: 4, stream, logEvery: 2, now: fakeClock() });
    for (let step = 1; step <= 4; step++) progress.update(step, { D: NaN });
    progress.stop();
    expect(stream.text).not.toContain('\x1b[');
    expect(stream.text.trimEnd().split('\n')).toEqual(['step 2/4 (50%) | 100 step/s | ETA 0s | D NaN', 'step 4/4 (100%) | 100 step/s | ETA 0s | D NaN']);
  });

  it('a resumed run measures speed from its start step', () => {
    const stream = new CapturedStream(false);
    const progress = createProgress({ totalSteps: 2000, startStep: 1000, stream, logEvery: 50, now: fakeClock() });
    for (let step = 1001; step <= 1050; step++) progress.update(step, {});
    progress.stop();
    expect(stream.text).toBe('step 1050/2000 (52%) | 100 step/s | ETA 10s\n');
  });
});

describe('progress on a terminal', () => {
  it('draws a bar with step/s, ETA and losses on the stream, with messages above it', () => {
    vi.stubEnv('CI', '');
    const stdout = vi.spyOn(process.stdout, 'write');
    const stream = new CapturedStream(true);
    const progress = createProgress({ totalSteps: 10, stream, now: fakeClock() });
    for (let step = 1; step <= 3; step++) progress.update(step, { D: 0.25, G: 2 });
    progress.message('sample grid written');
    progress.stop();
    expect(stream.text).toContain('\x1b['); // cursor control: it is a live bar
    expect(stream.text).toContain('sample grid written\n');
    expect(stream.text).toMatch(/30% \| step 3\/10 \| 100 step\/s \| ETA 0s \| D 0\.25 G 2/);
    expect(stdout).not.toHaveBeenCalled();
  });
});

describe('default stream', () => {
  it('is stderr', () => {
    const stdout = vi.spyOn(process.stdout, 'write');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const progress = createProgress({ totalSteps: 2, interactive: false, logEvery: 1 });
    progress.update(1, { D: 1 });
    progress.stop();
    expect(stderr).toHaveBeenCalledWith(expect.stringContaining('step 1/2'));
    expect(stdout).not.toHaveBeenCalled();
  });
});

describe('formatEta', () => {
  it('reads like a person would say it', () => {
    expect([formatEta(null), formatEta(42.4), formatEta(125), formatEta(3 * 3600 + 7 * 60 + 5)]).toEqual(['-', '42s', '2m 05s', '3h 07m']);
  });
});
