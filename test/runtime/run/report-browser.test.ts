// The reports in headless Chromium: a run's report.html (plots drawn, hover values, the smoothing slider,
// sample grids), the live report of a real `ganc train` process while it trains, and the comparison page of
// `ganc report A B C` (every run named in every legend). Nothing on the console, and a screenshot of each
// (a PNG of the viewport's size). CI must install Debian's `chromium` package.
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../../src/runtime/run/report.js';
import { runLabels } from '../../../src/runtime/run/report-compare.js';
import { exited, PROCESS_TEST_TIMEOUT_MS, runGancProcess, spawnGanc, waitFor } from '../../helpers/cli-processes.js';
import { EXPECTED_CHARTS, makeSyntheticRun, SAMPLE_STEPS, SYNTHETIC_SPEC } from './synthetic-run.js';
import { tempDir } from './temp-dir.js';
import { ring8Spec } from '../../helpers/tiny-specs.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const VIEWPORT = { width: 1280, height: 900 };

const SLOW_RING8 = ring8Spec({ name: 'live_ring8', lines: ['reg 1 * r1'], train: 'steps 1000000 seed 3 log 1 checkpoint 5000 sample 200 eval 1000000' });

let browser: Browser | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM) && !process.env.CI) return;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
});

const skipWithoutChromium = (context: { skip: (note: string) => void }) => {
  if (!browser) context.skip(`${CHROMIUM} is not installed (apt-get install chromium); in CI this test runs and fails instead`);
};

/** Opens a page from a file, collecting every console error or warning, page error and failed request. */
async function open(file: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser!.newPage({ viewport: VIEWPORT });
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  await page.waitForSelector('body[data-plots="drawn"]', { timeout: 30_000 });
  return { page, problems };
}

/** Each plot's size and the size of its drawn curves (vega's line marks), so an empty frame fails. */
async function plots(page: Page) {
  return page.$$eval('figure.chart', (figures) =>
    figures.map((figure) => {
      const svg = figure.querySelector('svg');
      const frame = svg?.getBoundingClientRect();
      const curves = [...figure.querySelectorAll('.mark-line path')].map((path) => path.getBoundingClientRect());
      return { width: frame?.width ?? 0, height: frame?.height ?? 0, curves: curves.length, curveWidth: Math.max(0, ...curves.map((c) => c.width)) };
    }),
  );
}

function expectDrawn(drawn: Awaited<ReturnType<typeof plots>>, count: number): void {
  expect(drawn).toHaveLength(count);
  for (const plot of drawn) {
    expect(plot.width).toBeGreaterThan(200);
    expect(plot.height).toBeGreaterThan(100);
    expect(plot.curves).toBeGreaterThan(0);
    expect(plot.curveWidth).toBeGreaterThan(20);
  }
}

/** A viewport screenshot under `dir`: a PNG of the viewport's size (copied to GANC_REPORT_SCREENSHOT_DIR if set). */
async function screenshot(page: Page, dir: string, name: string): Promise<void> {
  const path = join(dir, name);
  await page.screenshot({ path });
  const png = readFileSync(path);
  expect(png.length).toBeGreaterThan(10_000);
  expect(png.readUInt32BE(0)).toBe(0x89504e47);
  expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual(VIEWPORT);
  if (process.env.GANC_REPORT_SCREENSHOT_DIR) copyFileSync(path, join(process.env.GANC_REPORT_SCREENSHOT_DIR, name));
}

/** The legend labels of every plot, plot by plot. */
async function legends(page: Page): Promise<string[][]> {
  return page.$$eval('figure.chart', (figures) => figures.map((f) => [...f.querySelectorAll('.role-legend-label text')].map((t) => t.textContent ?? '')));
}

describe('report.html in a browser', () => {
  it('draws every plot, shows values on hover, smooths with the slider, loads every sample grid', async (context) => {
    skipWithoutChromium(context);
    const dir = tempDir('browser');
    const runDir = makeSyntheticRun(dir);
    const { page, problems } = await open(await writeReport(runDir));
    expectDrawn(await plots(page), EXPECTED_CHARTS);

    // Hover the middle of the losses plot: the tooltip names a curve, a step and its values.
    const box = (await page.locator('figure.chart svg').first().boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 3);
    await expect.poll(() => page.locator('#ganc-tooltip').evaluate((e) => (e as HTMLElement).hidden ? '' : e.textContent ?? '')).toMatch(/series [DG]step \d+smoothed [-\d.e]+raw [-\d.e]+/);

    // The slider redraws the smoothed curves: the losses plot's paths change.
    const paths = () => page.$$eval('figure.chart:first-of-type .mark-line path', (ps) => ps.map((p) => p.getAttribute('d')).join('|'));
    const before = await paths();
    await page.locator('#smoothing').fill('0.95');
    await expect.poll(paths).not.toBe(before);
    expect(await page.locator('#smoothing-value').textContent()).toBe('0.95');

    const images = await page.$$eval('img', (imgs) => imgs.map((img) => ({ naturalWidth: img.naturalWidth, complete: img.complete })));
    expect(images).toHaveLength(SAMPLE_STEPS.length);
    for (const image of images) {
      expect(image.complete).toBe(true);
      expect(image.naturalWidth).toBeGreaterThan(0);
    }
    expect(await page.title()).toBe('pgn_mnist · ganc run report');
    await screenshot(page, dir, 'report.png');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the live report of a run in training opens and draws while the run goes on; SIGINT then stops it (exit 130)', async (context) => {
    skipWithoutChromium(context);
    const dir = tempDir('browser-live');
    const spec = join(dir, 'live_ring8.gan');
    writeFileSync(spec, SLOW_RING8);
    const out = join(dir, 'runs');
    const proc = spawnGanc(['train', spec, '--out', out, '--backend', 'cpu']);
    try {
      const runDir = await waitFor('the run directory', () => firstRun(out));
      const report = join(runDir, 'report.html');
      // Refreshed after the first log interval: the page says how far training got.
      const step = await waitFor('a refreshed live report', () => {
        if (!existsSync(report)) return undefined;
        const m = /training: step (\d+) of 1000000/.exec(readFileSync(report, 'utf8'));
        return m && Number(m[1]) >= 2 ? Number(m[1]) : undefined;
      });
      expect(step).toBeGreaterThanOrEqual(2);
      const { page, problems } = await open(report);
      expect(proc.child.exitCode, 'the run is still training').toBeNull();
      const drawn = await plots(page);
      expect(drawn.length).toBeGreaterThanOrEqual(5); // losses, regularizer, r1, two gradient norms, step time
      expectDrawn(drawn, drawn.length);
      expect(await page.locator('header').textContent()).toMatch(/training: step \d+ of 1000000/);
      await screenshot(page, dir, 'live-report.png');
      expect(problems).toEqual([]);
      await page.close();

      proc.child.kill('SIGINT');
      await exited(proc.child);
      expect(proc.child.exitCode).toBe(130);
      expect(proc.lines.filter((l) => l.startsWith('interrupted at step'))).toHaveLength(1);
      expect(readFileSync(report, 'utf8')).toMatch(/interrupted at step \d+ of 1000000/);
    } finally {
      proc.child.kill('SIGKILL');
      await exited(proc.child);
    }
  }, PROCESS_TEST_TIMEOUT_MS);

  it('the comparison page of `ganc report` names every run in every legend and draws their curves', async (context) => {
    skipWithoutChromium(context);
    const dir = tempDir('browser-compare');
    const runs = [
      makeSyntheticRun(dir),
      makeSyntheticRun(dir, 'images', { name: 'pgn_mnist_lambda10', spec: SYNTHETIC_SPEC.replace('let lambda = 100', 'let lambda = 10'), scale: 1.5 }),
      makeSyntheticRun(dir, 'points'),
    ];
    const out = join(dir, 'compare.html');
    const made = runGancProcess(['report', ...runs, '--out', out, '--smooth', '0.8']);
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    expect(made.stdout.trim()).toBe(`report: ${out}`);
    const { page, problems } = await open(out);
    const drawn = await plots(page);
    expectDrawn(drawn, drawn.length);
    const labels = runLabels(runs);
    const perPlot = await legends(page);
    expect(perPlot.length).toBe(drawn.length);
    for (const names of perPlot) expect(names).toEqual(labels);
    expect(await page.locator('#smoothing-value').textContent()).toBe('0.80');
    expect(await page.locator('pre.diff .added').count()).toBeGreaterThan(0);
    const finalGrids = await page.$$eval('img', (imgs) => imgs.map((img) => img.naturalWidth));
    expect(finalGrids).toHaveLength(3);
    for (const width of finalGrids) expect(width).toBeGreaterThan(0);
    await screenshot(page, dir, 'compare.png');
    expect(problems).toEqual([]);
    await page.close();
  }, PROCESS_TEST_TIMEOUT_MS);
});

/** The run folder under `out`, once it is there (not the hidden one it is assembled in). */
function firstRun(out: string): string | undefined {
  if (!existsSync(out)) return undefined;
  const [first] = readdirSync(out).filter((d) => !d.startsWith('.'));
  return first ? join(out, first) : undefined;
}
