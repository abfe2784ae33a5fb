// Each regularizer keeps its own window: with two `reg ... window N` statements, both windowed values
// reach metrics.jsonl and the report, each with its regularizer's number, and they differ as their
// windows do (one shared R per step).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { readMetrics } from '../../../src/runtime/run/metrics-log.js';
import { runTraining } from '../../../src/runtime/train/run-training.js';
import { compileSpecText } from './compile-spec.js';
import { ring8Spec } from '../../helpers/tiny-specs.js';

const SPEC = ring8Spec({
  name: 'two_windows', batch: 32, width: 16, loss: 'wasserstein',
  lines: ['reg 10 * R_t ^ 3 window 2', 'reg abs(R_t) + r2 window 4'],
  train: 'steps 6 log 1 checkpoint 1000 sample 1000 eval 1000',
});

it('logs every regularizer\'s R_t, each over its own window', async () => {
  const outRoot = mkdtempSync(join(tmpdir(), 'ganc-windows-'));
  const file = join(outRoot, 'two-windows.gan');
  const result = await runTraining({ outRoot, spec: { text: SPEC, file, ir: compileSpecText(SPEC, file) }, backend: 'cpu' });
  const entries = readMetrics(join(result.runDir, 'metrics.jsonl'));
  expect(entries.map((e) => e.step)).toEqual([1, 2, 3, 4, 5, 6]);
  const R = entries.map((e) => e.terms.R);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  entries.forEach((entry, i) => {
    expect(Object.keys(entry.windowed).sort()).toEqual(['R_t (reg 1)', 'R_t (reg 2)']);
    expect(entry.windowed['R_t (reg 1)']).toBeCloseTo(mean(R.slice(Math.max(0, i - 1), i + 1)), 5);
    expect(entry.windowed['R_t (reg 2)']).toBeCloseTo(mean(R.slice(Math.max(0, i - 3), i + 1)), 5);
    expect(Object.keys(entry.regularizers)).toEqual(['reg 10 * R_t ^ 3', 'reg abs(R_t) + r2']);
    expect(entry.terms.r2).toBeGreaterThanOrEqual(0);
  });
  expect(entries[5].windowed['R_t (reg 1)']).not.toBe(entries[5].windowed['R_t (reg 2)']);
  const report = readFileSync(join(result.runDir, 'report.html'), 'utf8');
  // The report's charts are named by the same labels (however the page draws them), and r2 is defined.
  for (const title of ['R_t (reg 1)', 'R_t (reg 2)', 'reg abs(R_t) + r2']) expect(report).toContain(title);
  expect(report).toContain('<dt>r2</dt>');
});

it('labels named regularizers by their names in metrics.jsonl and the report', async () => {
  const named = SPEC.replace('reg 10 * R_t ^ 3 window 2', 'reg cubic = 10 * R_t ^ 3 window 2')
    .replace('reg abs(R_t) + r2 window 4', 'reg soft = abs(R_t) + r2 window 4').replace('train steps 6', 'train steps 2');
  const outRoot = mkdtempSync(join(tmpdir(), 'ganc-named-'));
  const file = join(outRoot, 'named.gan');
  const result = await runTraining({ outRoot, spec: { text: named, file, ir: compileSpecText(named, file) }, backend: 'cpu' });
  const entries = readMetrics(join(result.runDir, 'metrics.jsonl'));
  for (const entry of entries) {
    expect(Object.keys(entry.regularizers)).toEqual(['reg cubic', 'reg soft']);
    expect(Object.keys(entry.windowed).sort()).toEqual(['R_t (cubic)', 'R_t (soft)']);
  }
  const report = readFileSync(join(result.runDir, 'report.html'), 'utf8');
  // The report's charts are named by the same labels (however the page draws them).
  for (const title of ['reg cubic', 'reg soft', 'R_t (cubic)', 'R_t (soft)']) expect(report).toContain(title);
});
