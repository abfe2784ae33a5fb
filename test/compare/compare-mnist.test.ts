// `ganc compare specs/dcgan.gan specs/gnd.gan --fractions 0.1,1 --seeds 2` at a tiny budget: the three
// outputs with every cell's statistics, the checked cell specs, the same table from the run directories
// alone, and compare.html in headless Chromium with its charts drawn and no console errors.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import type { CompareDocument } from '../../src/compare/output.js';
import { tQuantile } from '../../src/compare/stats.js';
import { ganc } from '../search/cli-run.js';
import { PROCESS_TEST_TIMEOUT_MS } from '../helpers/cli-processes.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const TINY = ['--seeds', '2', '--steps', '2', '--eval-every', '1', '--eval-samples', '50'];

let dir: string;
let doc: CompareDocument;
let md: string;

/** compare.md from the first measure's table to the runs without a score: the part both modes share. */
const tables = (text: string): string => text.slice(text.indexOf('## fd_lenet'), text.indexOf('## Methods'));

describe('ganc compare on MNIST specs', () => {
  beforeAll(async () => {
    dir = join(mkdtempSync(join(tmpdir(), 'ganc-compare-')), 'grid');
    const r = await ganc('compare', 'specs/dcgan.gan', 'specs/gnd.gan', '--fractions', '0.1,1', ...TINY, '--baseline', 'dcgan', '--out', dir);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/\[8\/8\] gnd-100pct\.s2\.seed1: trained/);
    doc = JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')) as CompareDocument;
    md = readFileSync(join(dir, 'compare.md'), 'utf8');
  }, PROCESS_TEST_TIMEOUT_MS);

  it('writes compare.md, compare.json and compare.html', () => {
    for (const f of ['compare.md', 'compare.json', 'compare.html']) expect(existsSync(join(dir, f)), f).toBe(true);
  });

  it('has every cell with each seed\'s value, mean, sd, t-based 95% interval, n and wall time', () => {
    const t = doc.table;
    expect(t.methods).toEqual(['dcgan', 'gnd']);
    expect(t.fractions).toEqual([0.1, 1]);
    expect(t.cells.map((c) => `${c.method}@${c.fraction}`)).toEqual(['dcgan@0.1', 'dcgan@1', 'gnd@0.1', 'gnd@1']);
    for (const cell of t.cells) {
      expect(cell.seeds).toEqual([0, 1]);
      expect(cell.steps).toEqual([2]);
      expect(cell.finished + cell.diverged + cell.failed).toBe(2);
      expect(cell.secondsPerRun).toBeGreaterThan(0);
      for (const { name } of t.measures) {
        const { values, summary } = cell.measures[name];
        const scored = values.filter((v): v is number => v !== null);
        expect(scored).toHaveLength(cell.finished);
        if (scored.length < 2) continue;
        const mean = (scored[0] + scored[1]) / 2;
        const sd = Math.abs(scored[0] - scored[1]) / Math.SQRT2;
        expect(summary!.n).toBe(2);
        expect(summary!.mean).toBeCloseTo(mean, 9);
        expect(summary!.sd).toBeCloseTo(sd, 9);
        expect(summary!.ci95!.high - mean).toBeCloseTo(tQuantile(0.975, 1) * sd / Math.SQRT2, 6);
      }
    }
    expect(t.measures.map((m) => m.name)).toEqual(['fd_lenet', 'class_coverage']);
    expect(t.comparisons.map((c) => `${c.measure} ${c.method}@${c.fraction}`)).toEqual([
      'fd_lenet gnd@0.1', 'fd_lenet gnd@1', 'class_coverage gnd@0.1', 'class_coverage gnd@1']);
  });

  it('states the protocol and the comparison with the baseline in compare.md', () => {
    expect(md).toContain('50 real digits drawn with a fixed seed from the whole training set (every fraction uses the same ones)');
    expect(md).toMatch(/assets\/lenet-mnist\.safetensors, sha256 [0-9a-f]{12}/);
    expect(md).toMatch(/^\| dcgan \| 10% \| 2 \| \d \|/m);
    expect(md).toMatch(/^\| gnd \| 100% \| 2 \| \d \|/m);
    expect(md).toContain('## Against the baseline dcgan');
    expect(md).toMatch(/\| gnd \| 10% \| \d, \d \| .* \| (not distinguishable|better \(lower\)|worse \(higher\)|too few finished seeds.*) \|$/m);
    expect(md).toContain('`ganc compare specs/dcgan.gan specs/gnd.gan --fractions 0.1,1 --seeds 2 --steps 2 --eval-every 1 --eval-samples 50 --baseline dcgan --out');
  });

  it('saves each cell\'s spec, checked, with the method\'s name, the fraction and the steps written in', () => {
    const spec = readFileSync(join(dir, 'specs', 'gnd-10pct.gan'), 'utf8');
    expect(spec).toMatch(/^gan gnd$/m);
    expect(spec).toMatch(/^data mnist batch 64 fraction 0\.1$/m);
    expect(spec).toMatch(/^train steps 2 .*eval 1/m);
    const { ir, diagnostics } = compileSource(spec, 'gnd-10pct.gan');
    expect(diagnostics).toEqual([]);
    expect(ir!.data.fraction).toBe(0.1);
    expect(readFileSync(join(dir, 'specs', 'dcgan-100pct.gan'), 'utf8')).toMatch(/^data mnist batch 64 fraction 1$/m);
  });

  it('aggregating the grid\'s run directories gives the same table', async () => {
    const runDirs = doc.table.cells.flatMap((c) => c.runs.map((r) => r.runDir!));
    expect(runDirs).toHaveLength(8);
    const out = join(dir, '..', 'aggregated');
    const r = await ganc('compare', ...runDirs, '--eval-samples', '50', '--baseline', 'dcgan', '--out', out);
    expect(r.code, r.err).toBe(0);
    const again = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as CompareDocument;
    expect(again.mode).toBe('runs');
    expect(tables(readFileSync(join(out, 'compare.md'), 'utf8'))).toBe(tables(md));
    expect(again.table.cells.map((c) => c.measures)).toEqual(doc.table.cells.map((c) => c.measures));
    // A folder of runs is searched for run directories too.
    const folder = await ganc('compare', join(dir, 'runs'), '--eval-samples', '50', '--baseline', 'dcgan', '--out', join(dir, '..', 'folder'));
    expect(folder.code, folder.err).toBe(0);
    expect(tables(readFileSync(join(dir, '..', 'folder', 'compare.md'), 'utf8'))).toBe(tables(md));
  }, PROCESS_TEST_TIMEOUT_MS);

  it('compare.html shows its charts, sample grids and specs in Chromium, with no console errors', async (context) => {
    if (!existsSync(CHROMIUM) && !process.env.CI) context.skip(`${CHROMIUM} is not installed (apt-get install chromium)`);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
      await page.goto(pathToFileURL(join(dir, 'compare.html')).href, { waitUntil: 'load' });

      const charts = await page.$$eval('figure.chart > svg', (svgs) => svgs.map((svg) => {
        const box = (sel: string) => [...svg.querySelectorAll(sel)].map((e) => e.getBoundingClientRect());
        const frame = svg.getBoundingClientRect();
        const bars = box('.mark-rect path');
        const lines = box('.mark-line path');
        const bands = box('.mark-area path');
        return {
          width: frame.width, height: frame.height, title: svg.querySelector('.role-title-text')?.textContent ?? '',
          bars: bars.filter((b) => b.height > 0 && b.width > 0).length, lines: lines.filter((l) => l.width > 50).length, bands: bands.length,
        };
      }));
      // Bars per measure (2) and one quality-over-steps chart per measure and fraction (4).
      const barCharts = charts.filter((c) => c.title.includes('mean, 95% interval'));
      const curveCharts = charts.filter((c) => c.title.includes('during training'));
      expect(barCharts).toHaveLength(2);
      expect(curveCharts).toHaveLength(4);
      for (const c of charts) {
        expect(c.width).toBeGreaterThan(200);
        expect(c.height).toBeGreaterThan(100);
      }
      for (const c of barCharts) expect(c.bars, c.title).toBe(4);
      for (const c of curveCharts) {
        expect(c.lines, c.title).toBe(2);
        expect(c.bands, c.title).toBeGreaterThan(0);
      }
      const images = await page.$$eval('table.samples img', (imgs) => (imgs as HTMLImageElement[]).map((i) => ({ complete: i.complete, width: i.naturalWidth })));
      expect(images).toHaveLength(4);
      for (const i of images) {
        expect(i.complete).toBe(true);
        expect(i.width).toBeGreaterThan(0);
      }
      const specs = await page.$$eval('.specs .spec', (cols) => cols.map((c) => ({ name: c.querySelector('h3')!.textContent, changed: c.querySelectorAll('.changed').length })));
      expect(specs.map((s) => s.name)).toEqual(['dcgan (reference)', 'gnd']);
      // gnd differs from dcgan in its loss, reg, latent size and optimizers, among others.
      expect(specs[1].changed).toBeGreaterThan(4);
      expect(await page.title()).toBe('ganc compare: dcgan, gnd');
      if (process.env.GANC_REPORT_SCREENSHOT) await page.screenshot({ path: process.env.GANC_REPORT_SCREENSHOT, fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
