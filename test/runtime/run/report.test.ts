import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetricsLog } from '../../../src/runtime/run/metrics-log.js';
import { reduceToExtremes } from '../../../src/runtime/run/report-plots.js';
import { writeReport } from '../../../src/runtime/run/report.js';
import { createRunDir } from '../../../src/runtime/run/run-dir.js';
import { saveCheckpoint } from '../../../src/runtime/run/checkpoint.js';
import { EXPECTED_CHARTS, makeSyntheticRun } from './synthetic-run.js';
import { tempDir } from './temp-dir.js';

describe('writeReport', () => {
  it('writes a page with its plots inlined as SVG and the sample grids by relative path', async () => {
    const runDir = makeSyntheticRun(tempDir('report'));
    saveCheckpoint(runDir, 200, { tensors: { w: { shape: [1], data: new Float32Array([1]) } }, state: {} });
    const path = await writeReport(runDir);
    expect(path).toBe(join(runDir, 'report.html'));
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('<title>pgn_mnist · ganc run report</title>');
    expect(html.match(/<svg[\s>]/g)).toHaveLength(EXPECTED_CHARTS);
    for (const title of ['losses', 'reg lambda*R_t^3 window 2', 'gp', 'R', 'R_t', 'gradient norm D_real', 'fd_lenet', 'step time']) expect(html).toContain(`>${title}</text>`);
    expect([...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1])).toEqual(['samples/step-000000.png', 'samples/step-000100.png', 'samples/step-000200.png']);
    expect(html).toContain('step 1 to 200');
    expect(html).toContain('latest at step 200');
    expect(html).toContain('reg lambda*R_t^3 window 2');
    // Each plotted term is defined on the page, from the term registry.
    expect(html).toContain('<dt>R_t</dt><dd>mean of R over the last `window` iterations');
    expect(html).toContain('<dt>gp</dt><dd>mean((‖∇D(x̂)‖ − 1)²)');
    expect(html).not.toMatch(/<script/i);
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shows the first non-finite value and leaves out plots without data', async () => {
    const runDir = createRunDir(tempDir('report'), 'plain', { specText: 'gan plain\n', ir: { name: 'plain <b>' } });
    const log = MetricsLog.open(join(runDir, 'metrics.jsonl'));
    log.append({ step: 1, losses: { D: 0.5, G: 1 }, terms: {}, regularizers: {}, windowed: {}, grad_norms: {}, step_ms: 10 });
    log.append({ step: 2, losses: { D: NaN, G: 1 }, terms: {}, regularizers: {}, windowed: {}, grad_norms: {}, step_ms: 10 });
    log.close();
    const html = readFileSync(await writeReport(runDir), 'utf8');
    expect(html).toContain('loss D = NaN at step 2');
    expect(html).toContain('plain &lt;b&gt;');
    expect(html.match(/<svg[\s>]/g)).toHaveLength(2); // losses and step time
    expect(html).toContain('No sample grids yet.');
  });

  it('a missing run folder is a one-line error naming it', async () => {
    const missing = join(tempDir('report'), 'no-such-run');
    await expect(writeReport(missing)).rejects.toThrow(`${missing}: no such run folder`);
  });

  it('a run that has logged nothing still gets a page', async () => {
    const runDir = createRunDir(tempDir('report'), 'fresh', { specText: 'gan fresh\n', ir: { name: 'fresh' } });
    const html = readFileSync(await writeReport(runDir), 'utf8');
    expect(html).toContain('none logged yet');
    expect(html).not.toContain('<svg');
  });
});

describe('reduceToExtremes', () => {
  it('keeps a one-step spike when thinning a long curve', () => {
    const points: [number, number][] = Array.from({ length: 20_000 }, (_, i) => [i, Math.sin(i / 500)]);
    points[12_345] = [12_345, 99];
    const reduced = reduceToExtremes(points, 1000);
    expect(reduced.length).toBeLessThanOrEqual(1000);
    expect(reduced).toContainEqual([12_345, 99]);
    expect(reduced.map(([step]) => step)).toEqual([...reduced.map(([step]) => step)].sort((a, b) => a - b));
  });
});
