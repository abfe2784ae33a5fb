// Opens report.html of a synthetic run in headless Chromium: the plots must render as visible SVGs and the
// sample grids must load, with nothing on the console. CI must install Debian's `chromium` package.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { writeReport } from '../../../src/runtime/run/report.js';
import { EXPECTED_CHARTS, makeSyntheticRun, SAMPLE_STEPS } from './synthetic-run.js';
import { tempDir } from './temp-dir.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

describe('report.html in a browser', () => {
  it('shows every plot and sample grid, with no console errors', async (context) => {
    if (!existsSync(CHROMIUM) && !process.env.CI) {
      context.skip(`${CHROMIUM} is not installed (apt-get install chromium); in CI this test runs and fails instead`);
    }
    const runDir = makeSyntheticRun(tempDir('browser'));
    const reportPath = await writeReport(runDir);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
      await page.goto(pathToFileURL(reportPath).href, { waitUntil: 'load' });

      // Each plot's size, and the size of its drawn curves (vega's line marks), so an empty frame fails.
      const plots = await page.$$eval('figure.chart > svg', (svgs) =>
        svgs.map((svg) => {
          const frame = svg.getBoundingClientRect();
          const curves = [...svg.querySelectorAll('.mark-line path')].map((path) => path.getBoundingClientRect());
          return { width: frame.width, height: frame.height, curves: curves.length, curveWidth: Math.max(0, ...curves.map((c) => c.width)) };
        }),
      );
      expect(plots).toHaveLength(EXPECTED_CHARTS);
      for (const plot of plots) {
        expect(plot.width).toBeGreaterThan(200);
        expect(plot.height).toBeGreaterThan(100);
        expect(plot.curves).toBeGreaterThan(0);
        expect(plot.curveWidth).toBeGreaterThan(100);
      }

      const images = await page.$$eval('img', (imgs) => imgs.map((img) => ({ src: img.getAttribute('src'), naturalWidth: img.naturalWidth, complete: img.complete })));
      expect(images).toHaveLength(SAMPLE_STEPS.length);
      for (const image of images) {
        expect(image.complete).toBe(true);
        expect(image.naturalWidth).toBeGreaterThan(0);
      }
      expect(await page.title()).toBe('pgn_mnist · ganc run report');
      if (process.env.GANC_REPORT_SCREENSHOT) await page.screenshot({ path: process.env.GANC_REPORT_SCREENSHOT, fullPage: true });
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
