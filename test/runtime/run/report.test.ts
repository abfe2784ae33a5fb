import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MetricsLog } from '../../../src/runtime/run/metrics-log.js';
import { lineChart, reduceToExtremes, yScaleFor, type LineChart } from '../../../src/runtime/run/report-plots.js';
import { writeReport } from '../../../src/runtime/run/report.js';
import { writeComparisonReport, runLabels } from '../../../src/runtime/run/report-compare.js';
import { diffLines } from '../../../src/runtime/run/report-diff.js';
import { LiveReport } from '../../../src/runtime/run/report-live.js';
import { createRunDir } from '../../../src/runtime/run/run-dir.js';
import { saveCheckpoint } from '../../../src/runtime/run/checkpoint.js';
import { EXPECTED_CHARTS, makeSyntheticRun, SYNTHETIC_SPEC } from './synthetic-run.js';
import { tempDir } from './temp-dir.js';

/** The charts a page hands its script (the JSON in #ganc-data). */
function chartsOf(html: string): LineChart[] {
  const json = /<script type="application\/json" id="ganc-data">(.*?)<\/script>/s.exec(html)![1];
  return (JSON.parse(json) as { charts: LineChart[] }).charts;
}

describe('writeReport', () => {
  it('writes a page with every plot as data for its inlined vega-lite, and the sample grids by relative path', async () => {
    const runDir = makeSyntheticRun(tempDir('report'));
    saveCheckpoint(runDir, 200, { tensors: { w: { shape: [1], data: new Float32Array([1]) } }, state: {} });
    const path = await writeReport(runDir);
    expect(path).toBe(join(runDir, 'report.html'));
    const html = readFileSync(path, 'utf8');
    expect(html).toContain('<title>pgn_mnist · ganc run report</title>');
    const charts = chartsOf(html);
    expect(charts).toHaveLength(EXPECTED_CHARTS);
    expect(html.match(/<figure class="chart" data-chart="\d+">/g)).toHaveLength(EXPECTED_CHARTS);
    expect(charts.map((c) => c.title)).toEqual(['losses', 'reg lambda*R_t^3 window 2', 'gp', 'R', 'R_t', 'gradient norm D_real', 'gradient norm D_fake', 'fd_lenet', 'class_coverage', 'step time']);
    expect(charts[0].series.map((s) => s.name)).toEqual(['D', 'G']);
    expect(charts[0].series[0].points).toHaveLength(200);
    // Quality is sparse: dots, no smoothing; per-step curves get the slider.
    expect(charts.find((c) => c.title === 'fd_lenet')).toMatchObject({ points: true, smooth: false });
    expect(charts[0]).toMatchObject({ points: false, smooth: true, stepRange: [1, 200] });
    // The plotting code is inlined: nothing is fetched.
    expect(html).toContain('vegaLite');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html.replace(/<script>[\s\S]*?<\/script>/g, '')).not.toMatch(/https?:\/\//);
    expect([...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1])).toEqual(['samples/step-000000.png', 'samples/step-000100.png', 'samples/step-000200.png']);
    expect(html).toContain('step 1 to 200');
    expect(html).toContain('latest at step 200');
    // Each plotted term is defined on the page, from the term registry.
    expect(html).toContain('<dt>R_t</dt><dd>mean of R over the last `window` iterations');
    expect(html).toContain('<dt>gp</dt><dd>mean((‖∇D(x̂)‖ − 1)²)');
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('says where training is: a live page reloads itself, a finished or interrupted one does not', async () => {
    const runDir = makeSyntheticRun(tempDir('report'));
    const live = readFileSync(await writeReport(runDir, { status: { state: 'training', step: 120, total: 200 } }), 'utf8');
    expect(live).toContain('training: step 120 of 200');
    expect(live).toMatch(/<meta http-equiv="refresh" content="\d+">/);
    const stopped = readFileSync(await writeReport(runDir, { status: { state: 'interrupted', step: 123, total: 200 } }), 'utf8');
    expect(stopped).toContain('interrupted at step 123 of 200');
    expect(stopped).not.toContain('http-equiv="refresh"');
    const rebuilt = readFileSync(await writeReport(runDir, { smoothing: 0.3 }), 'utf8');
    expect(rebuilt).toContain('step 200');
    expect(rebuilt).toContain('"smoothing":0.3');
  });

  it('shows run.json: the command line, backend and threads, and each resume', async () => {
    const runDir = makeSyntheticRun(tempDir('report'));
    const invocation = {
      started: '2026-11-24T18:00:00.000Z', command: ['ganc', 'train', 'x.gan', '--set', 'let lambda 10'], cwd: '/', ganc: { version: '9.9.9', commit: 'abcdef1234567890' },
      backend: 'ganc', kernels: { route: 'native', blas: 'openblas' }, threads: 2, GANC_THREADS: '2', node: 'v20.0.0',
      host: { name: 'box', platform: 'linux', arch: 'x64', cpus: 2, cpu: 'Xeon' }, steps: 200,
    };
    writeFileSync(join(runDir, 'run.json'), JSON.stringify({ ...invocation, resumes: [{ ...invocation, command: ['ganc', 'train', '--resume', 'r'], fromStep: 100 }] }));
    const html = readFileSync(await writeReport(runDir), 'utf8');
    expect(html).toContain('ganc train x.gan --set let lambda 10');
    expect(html).toContain('ganc 9.9.9 (commit abcdef1234)');
    expect(html).toContain('backend ganc (native kernels, openblas matMul)');
    expect(html).toContain('2 threads (GANC_THREADS=2)');
    expect(html).toContain('Resumed at step 100');
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
    const charts = chartsOf(html);
    expect(charts.map((c) => c.title)).toEqual(['losses', 'step time']);
    // JSON has no NaN: the page gets the finite points only.
    expect(charts[0].series.find((s) => s.name === 'D')!.points).toEqual([[1, 0.5]]);
    expect(html).toContain('No sample grids yet.');
  });

  it('a missing run folder, or one that is no run, is a one-line error naming it (and gets no report.html)', async () => {
    const missing = join(tempDir('report'), 'no-such-run');
    await expect(writeReport(missing)).rejects.toThrow(`${missing}: no such run folder`);
    const notARun = tempDir('report');
    await expect(writeReport(notARun)).rejects.toThrow(`${notARun}: not a ganc run directory`);
  });

  it('a run that has logged nothing still gets a page, without plots or their script', async () => {
    const runDir = createRunDir(tempDir('report'), 'fresh', { specText: 'gan fresh\n', ir: { name: 'fresh' } });
    const html = readFileSync(await writeReport(runDir), 'utf8');
    expect(html).toContain('none logged yet');
    expect(chartsOf(html)).toEqual([]);
    expect(html).not.toContain('vegaLite');
  });
});

describe('writeComparisonReport', () => {
  it('overlays the runs (one curve per run, named by its folder), diffs their specs and shows their last grids', async () => {
    const root = tempDir('compare');
    const a = makeSyntheticRun(root);
    const b = makeSyntheticRun(root, 'images', { name: 'pgn_mnist_lambda10', spec: SYNTHETIC_SPEC.replace('let lambda = 100', 'let lambda = 10'), scale: 2 });
    const out = join(root, 'compare.html');
    expect(await writeComparisonReport([a, b], { out })).toBe(out);
    const html = readFileSync(out, 'utf8');
    const charts = chartsOf(html);
    const labels = [basename(a), basename(b)];
    // Losses are one chart per loss here (each with both runs), not one chart per run.
    expect(charts.map((c) => c.title).slice(0, 3)).toEqual(['loss D', 'loss G', 'reg lambda*R_t^3 window 2']);
    for (const chart of charts) {
      expect(chart.colors.domain).toEqual(labels);
      expect(chart.legend).toBe(true);
      expect(chart.series.map((s) => s.name)).toEqual(labels);
    }
    const lossD = charts[0];
    expect(lossD.series[1].points[0][1]).toBeCloseTo(2 * lossD.series[0].points[0][1], 10);
    expect(html).toContain('<span class="removed">- let lambda = 100</span><span class="added">+ let lambda = 10</span>');
    expect(html).toContain('<span class="same">  loss hinge</span>');
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(2);
    for (const label of labels) expect(html).toContain(`<b>${label}</b>`);
  });

  it('runs with the same folder name are told apart by their paths', () => {
    expect(runLabels(['x/run-1', 'y/run-1', 'z/other/'])).toEqual(['x/run-1', 'y/run-1', 'other']);
  });
});

describe('diffLines', () => {
  it('marks what changed and keeps what did not, in order', () => {
    expect(diffLines(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e'])).toEqual([
      { kind: 'same', text: 'a' }, { kind: 'removed', text: 'b' }, { kind: 'added', text: 'x' },
      { kind: 'same', text: 'c' }, { kind: 'same', text: 'd' }, { kind: 'added', text: 'e' },
    ]);
    expect(diffLines([], ['a'])).toEqual([{ kind: 'added', text: 'a' }]);
  });
});

describe('the y scale', () => {
  it('is logarithmic where positive values span decades, symlog where signed ones do, linear otherwise', () => {
    expect(yScaleFor([10, 3, 0.5, 0.02])).toBe('log');
    expect(yScaleFor([1.2, 0.9, 0.7])).toBe('linear');
    expect(yScaleFor([-0.4, 0.1, 0.2, 0.3, -0.2, 350])).toBe('symlog');
    expect(yScaleFor([-0.4, 0.1, 0.3])).toBe('linear');
    expect(lineChart({ title: 't', yTitle: 'y', series: [{ name: 'a', points: [[1, 5], [2, 0.01]] }] }).scale).toBe('log');
  });

  it('a constant curve gets a y range around its value', () => {
    expect(lineChart({ title: 't', yTitle: 'y', series: [{ name: 'a', points: [[1, 0], [2, 0]] }] }).yDomain).toEqual([-0.5, 0.5]);
  });
});

describe('LiveReport', () => {
  it('refreshes only while the time spent writing stays within 2% of the time elapsed', async () => {
    let now = 0;
    // Each write takes 10 ms of the fake clock.
    const write = async () => {
      now += 10;
    };
    const live = new LiveReport('unused', { budget: 0.02, minInterval: 0, now: () => now, write });
    const status = { state: 'training' as const, step: 1, total: 200 };
    await live.write(status);
    now = 100;
    expect(await live.refresh(status)).toBe(false);
    let refreshes = 0;
    for (let t = 100; t <= 10_000; t += 100) {
      now = Math.max(now, t);
      if (await live.refresh(status)) refreshes++;
    }
    // 10 s at 2% allow 200 ms of writing; a refresh goes ahead while the ones so far plus 1.5 × 10 ms fit:
    // the 19th (180 + 15 ≤ 200) does, a 20th (190 + 15) would not.
    expect(refreshes).toBe(19);
    expect(live.stats()).toMatchObject({ refreshes, refreshMs: refreshes * 10 });
    expect(live.stats().refreshMs).toBeLessThanOrEqual(0.02 * now);
  });
});

describe('LiveReport', () => {
  it('past the start, refreshes at most every 10 s (half the time elapsed before that), new quality numbers excepted', async () => {
    let now = 0;
    const written: number[] = [];
    const live = new LiveReport('unused', { now: () => now, write: async () => { written.push(now); } });
    const status = { state: 'training' as const, step: 1, total: 200 };
    await live.write(status);
    for (let t = 100; t <= 60_000; t += 100) {
      now = t;
      await live.refresh(status);
    }
    const gaps = written.slice(1).map((t, i) => t - written[i]);
    for (const [i, gap] of gaps.entries()) expect(gap).toBeGreaterThanOrEqual(Math.min(10_000, written[i + 1] / 2));
    expect(gaps.at(-1)).toBe(10_000);
    expect(written.length).toBeGreaterThan(6);
    expect(await live.refresh(status)).toBe(false);
    expect(await live.refresh(status, true)).toBe(true);
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
