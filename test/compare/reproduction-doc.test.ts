// scripts/reproduction-doc.ts on made-up tables: each claim's verdict follows Welch's interval (holds,
// does not hold, not distinguishable), a method that diverged on its seeds loses, and a table smaller
// than the full grid is marked as no reproduction.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { markdown, type CompareDocument } from '../../src/compare/output.js';
import type { EvalProtocol } from '../../src/compare/protocol.js';
import type { RunRecord } from '../../src/compare/records.js';
import { buildTable } from '../../src/compare/table.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'reproduction-doc.ts');
const PROTOCOL: EvalProtocol = {
  samples: 2000, data: 'mnist', measures: [{ name: 'fd_lenet', better: 'lower' }, { name: 'class_coverage', better: 'higher' }],
  reference: 'the test reference', featureModel: null, latents: 'the test latents',
};
const METHODS = ['dcgan', 'gnd', 'sngan', 'gngan', 'pgn', 'wgan_gp'];

/** Three seeds per method and fraction around `fd(method, fraction)`, or diverged runs where it is null. */
function doc(fd: (method: string, fraction: number) => number | null, seeds = 3, methods = METHODS, fractions = [0.1, 0.2, 1]): CompareDocument {
  const records: RunRecord[] = methods.flatMap((method) => fractions.flatMap((fraction) =>
    Array.from({ length: seeds }, (_, seed) => {
      const centre = fd(method, fraction);
      return {
        method, fraction, seed, steps: 240, data: 'mnist' as const, status: centre === null ? 'diverged' as const : 'finished' as const,
        note: centre === null ? 'diverged at step 3: D loss is NaN' : null,
        scores: centre === null ? null : { fd_lenet: centre + [-1, 0, 1.5][seed], class_coverage: 1 }, seconds: 60, runDir: null,
      };
    })));
  return {
    mode: 'grid', command: 'ganc compare (test)', table: buildTable(records, PROTOCOL, methods.includes('dcgan') ? 'dcgan' : null), config: null,
    methods: methods.map((name) => ({ name, specFile: null, overrides: [], specText: null })), notes: [], trainingSeconds: 3240, elapsedSeconds: 3600,
  };
}

function verdicts(d: CompareDocument, settings?: CompareDocument): string {
  const dir = mkdtempSync(join(tmpdir(), 'ganc-repro-doc-'));
  const write = (name: string, x: CompareDocument): string[] => {
    mkdirSync(join(dir, name));
    writeFileSync(join(dir, name, 'compare.json'), JSON.stringify(x));
    writeFileSync(join(dir, name, 'compare.md'), markdown(x));
    return [`--${name === 'table' ? 'main' : 'settings'}`, join(dir, name)];
  };
  const out = join(dir, 'reproduction.md');
  const dirs = [...write('table', d), ...(settings ? write('settings', settings) : [])];
  const r = spawnSync(process.execPath, ['--import', TSX, SCRIPT, ...dirs, '--vars', 'STEPS=240', '--out', out], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return readFileSync(out, 'utf8');
}

const line = (text: string, seed: string): string => text.split('\n').find((l) => l.startsWith(`- **Seed ${seed}**`))!;

describe('reproduction-doc verdicts', () => {
  it('holds where every difference excludes zero in the claimed direction', () => {
    // gnd far below everything at 10%/20%; pgn < gngan < sngan by wide margins.
    const text = verdicts(doc((m, f) => ({ dcgan: 100, gnd: f < 1 ? 30 : 100, sngan: 90, gngan: 70, pgn: 40, wgan_gp: 95 } as Record<string, number>)[m]));
    expect(line(text, '000')).toContain('**holds at this scale**');
    expect(line(text, '000')).toMatch(/at 10%: gnd 30\.17 .*gnd − dcgan -70\.00 .*best other method pgn \(40\.17\), gnd − pgn -10\.00/);
    expect(line(text, '004')).toContain('**holds at this scale**');
    expect(line(text, '001')).toContain('**not tested**');
    expect(text).toContain('Wall time: 60.0 min (training alone: 54.0 min)');
    expect(text).not.toContain('This is not the reproduction');
  });

  it('does not hold where a difference excludes zero against the claim, and is not distinguishable where it covers zero', () => {
    const text = verdicts(doc((m) => ({ dcgan: 60, gnd: 80, sngan: 90, gngan: 90.5, pgn: 90.2, wgan_gp: 95 } as Record<string, number>)[m]));
    expect(line(text, '000')).toContain('**does not hold at this scale**');
    expect(line(text, '004')).toContain('**not distinguishable at this scale**');
  });

  it('a method that diverged on its seeds loses against one that trained', () => {
    const text = verdicts(doc((m, f) => (m === 'gnd' && f < 1 ? null : 100)));
    expect(line(text, '000')).toContain('**does not hold at this scale**');
    expect(line(text, '000')).toContain('gnd − dcgan: gnd diverged in 3 of 3 runs');
  });

  it('seed 001: holds when only WGAN-GP falls behind in some setting, does not hold when SN diverges in one', () => {
    const base = doc(() => 100);
    const settingsMethods = [1, 2, 3, 4, 5, 6].flatMap((k) => [`sngan_${k}`, `wgan_gp_${k}`]);
    const wganBreaks = doc((m) => (m === 'wgan_gp_4' ? null : m === 'wgan_gp_5' ? 150 : 100), 3, settingsMethods, [1]);
    const holds = line(verdicts(base, wganBreaks), '001');
    expect(holds).toContain('**holds at this scale**');
    expect(holds).toMatch(/D: sngan 100\.2 .*wgan-gp no finished seed, 3 diverged, 0 failed of 3/);
    const snBreaks = doc((m) => (m === 'sngan_5' ? null : 100), 3, settingsMethods, [1]);
    expect(line(verdicts(base, snBreaks), '001')).toContain('**does not hold at this scale**');
    expect(line(verdicts(base, doc(() => 100, 3, settingsMethods, [1])), '001')).toContain('**not distinguishable at this scale**');
  });

  it('says a smaller table is no reproduction', () => {
    expect(verdicts(doc(() => 100, 2))).toContain('> **This is not the reproduction.**');
  });
});
