import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetricsLog, MetricsLogError, readMetrics, truncateMetricsAfterStep, type MetricsInput } from '../../../src/runtime/run/metrics-log.js';
import { tempDir } from './temp-dir.js';

function entry(step: number, extra: Partial<MetricsInput> = {}): MetricsInput {
  return {
    step,
    time: `2026-11-24T18:00:${String(step % 60).padStart(2, '0')}.000Z`,
    losses: { D: 0.5 + step / 1000, G: 1.25 - step / 1000 },
    terms: { gp: 0.01, R: 0.75 },
    regularizers: { 'reg lambda*R_t^3 window 2': 0.1 * step, 'reg 10*gp': 0.1 },
    windowed: { R_t: 0.7 },
    grad_norms: { D_real: 1.5, D_fake: 0.75 },
    step_ms: 12.5,
    ...extra,
  };
}

describe('metrics.jsonl', () => {
  it('round-trips every field, including NaN and infinities', () => {
    const path = join(tempDir('metrics'), 'metrics.jsonl');
    const log = MetricsLog.open(path);
    const written = [
      log.append(entry(1)),
      log.append(entry(2, { quality: { modes: 8, hq_share: 0.93 } })),
      log.append(entry(3, { losses: { D: NaN, G: Infinity }, windowed: { R_t: -Infinity } })),
    ];
    log.close();
    expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(4);
    const read = readMetrics(path);
    expect(read).toEqual(written);
    expect(read[2].losses.D).toBeNaN();
    expect(read[2].windowed.R_t).toBe(-Infinity);
  });

  it('fills in the time when the caller leaves it out', () => {
    const path = join(tempDir('metrics'), 'metrics.jsonl');
    const log = MetricsLog.open(path);
    const { time: _omitted, ...withoutTime } = entry(1);
    const written = log.append(withoutTime);
    log.close();
    expect(Date.parse(written.time)).toBeGreaterThan(Date.parse('2026-01-01'));
    expect(readMetrics(path)[0].time).toBe(written.time);
  });

  it('each line reaches the file as it is logged, before close', () => {
    const path = join(tempDir('metrics'), 'metrics.jsonl');
    const log = MetricsLog.open(path);
    log.append(entry(1));
    log.append(entry(2));
    expect(readMetrics(path).map((e) => e.step)).toEqual([1, 2]);
    log.close();
  });

  it('drops a truncated last line (a run killed mid-write)', () => {
    const path = join(tempDir('metrics'), 'metrics.jsonl');
    const log = MetricsLog.open(path);
    for (const step of [1, 2, 3]) log.append(entry(step));
    log.close();
    appendFileSync(path, '{"step":4,"time":"2026-11-24T18:00:04.000Z","losses":{"D":0.5');
    expect(readMetrics(path).map((e) => e.step)).toEqual([1, 2, 3]);
  });

  it('reopening cuts the truncated tail, so the next entry is not glued onto it', () => {
    const path = join(tempDir('metrics'), 'metrics.jsonl');
    let log = MetricsLog.open(path);
    for (const step of [1, 2]) log.append(entry(step));
    log.close();
    appendFileSync(path, '{"step":3,"losses":{"D":0.');
    log = MetricsLog.open(path);
    log.append(entry(3));
    log.close();
    expect(readMetrics(path).map((e) => e.step)).toEqual([1, 2, 3]);
  });

  it('a malformed line in the middle is an error naming file and line', () => {
    const path = join(tempDir('metrics'), 'metrics.jsonl');
    writeFileSync(path, `${JSON.stringify(entry(1))}\nnot json\n${JSON.stringify(entry(3))}\n`);
    expect(() => readMetrics(path)).toThrow(MetricsLogError);
    expect(() => readMetrics(path)).toThrow(`${path}:2:`);
  });

  it('a run that has not logged yet reads as no entries', () => {
    expect(readMetrics(join(tempDir('metrics'), 'metrics.jsonl'))).toEqual([]);
  });

  it('on resume, entries past the checkpoint step (and a truncated tail) are removed', () => {
    const path = join(tempDir('metrics'), 'metrics.jsonl');
    let log = MetricsLog.open(path);
    for (let step = 10; step <= 80; step += 10) log.append(entry(step));
    log.close();
    appendFileSync(path, '{"step":90,');
    truncateMetricsAfterStep(path, 50);
    log = MetricsLog.open(path);
    log.append(entry(60, { step_ms: 99 }));
    log.close();
    const read = readMetrics(path);
    expect(read.map((e) => e.step)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(read[5].step_ms).toBe(99);
  });
});

describe('metrics.jsonl written before terms, regularizers and windowed terms had their own groups', () => {
  it('reads R and R_t from the top level and regularizers out of terms', () => {
    const path = join(tempDir('metrics'), 'metrics.jsonl');
    writeFileSync(path, `${JSON.stringify({
      step: 1, time: '2026-11-24T18:00:00.000Z', losses: { D: 1 }, terms: { gp: 0.5, 'reg 10*gp': 5 },
      grad_norms: { D: 2 }, R: 0.25, R_t: 0.125, step_ms: 3,
    })}\n`);
    const [entry] = readMetrics(path);
    expect(entry.terms).toEqual({ gp: 0.5, R: 0.25 });
    expect(entry.regularizers).toEqual({ 'reg 10*gp': 5 });
    expect(entry.windowed).toEqual({ R_t: 0.125 });
    expect(entry).not.toHaveProperty('R');
  });
});
