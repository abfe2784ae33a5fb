// The job contract without a queue: what checkJob refuses and why, the signature, the trial folder a
// trial id may name, the data folders a worker may read, and the results a coordinator accepts. The
// same jobs go through a real worker and Redis in queue-worker.test.ts.
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { checkSpecText } from '../../src/search/check-spec.js';
import { confineData, dataPolicy } from '../../src/search/data-root.js';
import { canonicalJson, checkedResult, checkJob, JOB_LIMITS, jobSecret, makeJob } from '../../src/search/job.js';
import { failedResult, TRIAL_ID, trialRunsDir, VARIANT_ID, type TrialResult } from '../../src/search/trial.js';
import { hasControl } from '../../src/sanitize.js';
import { folderSpec, TINY_RING8, trialOf, writeImageFolder } from './helpers.js';

const SECRET = 'a shared secret of some length';
const good = () => makeJob('abcd1234', trialOf(TINY_RING8, '/specs/tiny.gan'));

/** A valid job with one change, made on a JSON copy (a job on the queue is JSON). */
function edited(change: (job: Record<string, any>) => void): unknown {
  const job = JSON.parse(JSON.stringify(good())) as Record<string, any>;
  change(job);
  return job;
}

describe('checkJob', () => {
  it('accepts the jobs the coordinator makes', () => {
    expect(checkJob(good())).toEqual({ ok: true, job: good() });
  });

  it.each<[string, unknown, RegExp]>([
    ['a path-traversing trial id', edited((j) => { j.trial.id = '../../../../../tmp/x/ESCAPED'; }), /\/trial\/id must match pattern/],
    ['a trial id with a newline and escape codes', edited((j) => { j.trial.id = 'v001.s5.seed0\nfinished fake-trial\x1b[31m'; }), /\/trial\/id must match pattern/],
    ['a trial id with a slash', edited((j) => { j.trial.id = 'v001/x.s5.seed0'; }), /\/trial\/id must match pattern/],
    ['a trial id of ..', edited((j) => { j.trial.id = '..'; }), /\/trial\/id must match pattern/],
    ['a trial id that does not match its fields', edited((j) => { j.trial.id = 'v002.s5.seed0'; }), /trial id 'v002\.s5\.seed0' does not match its fields \(expected 'v001\.s5\.seed0'\)/],
    ['steps -5', edited((j) => { j.trial.steps = -5; }), /\/trial\/steps must be >= 1/],
    ['steps "abc"', edited((j) => { j.trial.steps = 'abc'; }), /\/trial\/steps must be integer/],
    ['steps 2e6', edited((j) => { j.trial.steps = 2e6; }), /\/trial\/steps must be <= 1000000/],
    ['seed 1.5', edited((j) => { j.trial.seed = 1.5; }), /\/trial\/seed must be integer/],
    ['seed -1', edited((j) => { j.trial.seed = -1; }), /\/trial\/seed must be >= 0/],
    ['batch 1e9', edited((j) => { j.trial.batch = 1e9; }), /\/trial\/batch must be <= 4096/],
    ['evalSamples 2e8', edited((j) => { j.trial.evalSamples = 2e8; }), /\/trial\/evalSamples must be <= 50000/],
    ['no version', edited((j) => { delete j.version; }), /must have required property 'version'/],
    ['version 2', edited((j) => { j.version = 2; }), /\/version must be equal to constant/],
    ['an unknown field', edited((j) => { j.outRoot = '/etc'; }), /must NOT have additional properties/],
    ['an unknown trial field', edited((j) => { j.trial.runDir = '/etc'; }), /\/trial must NOT have additional properties/],
    ['a spec over the size limit', edited((j) => { j.trial.specText = 'x'.repeat(JOB_LIMITS.maxSpecChars + 1); }), /\/trial\/specText must NOT have more than 262144 characters/],
    ['a spec file name with a newline', edited((j) => { j.trial.specFile = '/specs/a\nb.gan'; }), /\/trial\/specFile must match pattern/],
    ['a string', 'trial', /must be object/],
    ['null', null, /must be object/],
    ['a list', [good()], /must be object/],
  ])('refuses %s', (_, data, reason) => {
    const check = checkJob(data);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.reason).toMatch(reason);
    expect(hasControl(check.reason)).toBe(false);
  });

  it('with a secret, runs only jobs signed with it', () => {
    const signed = makeJob('abcd1234', trialOf(TINY_RING8, '/specs/tiny.gan'), SECRET);
    expect(signed.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(checkJob(signed, SECRET).ok).toBe(true);
    // A worker without a secret cannot check a signature and does not need one.
    expect(checkJob(signed).ok).toBe(true);
    expect(checkJob(good(), SECRET)).toMatchObject({ ok: false, reason: expect.stringMatching(/^unsigned job/) });
    expect(checkJob(makeJob('abcd1234', trialOf(TINY_RING8, '/specs/tiny.gan'), 'another secret, also long'), SECRET))
      .toMatchObject({ ok: false, reason: expect.stringMatching(/^bad signature/) });
    const tampered = JSON.parse(JSON.stringify(signed));
    tampered.trial.specText = TINY_RING8.replace('0.1 * r1', '10 * r1');
    expect(checkJob(tampered, SECRET)).toMatchObject({ ok: false, reason: expect.stringMatching(/^bad signature/) });
    // Key order does not matter: a job stored and read back in another order still verifies.
    const reordered = { signature: signed.signature, trial: Object.fromEntries(Object.entries(signed.trial).reverse()), searchId: signed.searchId, version: 1 };
    expect(checkJob(reordered, SECRET).ok).toBe(true);
  });

  it('canonicalJson sorts keys at every depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"e":0,"f":1}]},"b":1}');
  });

  it('refuses a secret too short to be one', () => {
    expect(() => jobSecret({ GANC_JOB_SECRET: 'short' })).toThrow(UserError);
    expect(jobSecret({})).toBeUndefined();
    expect(jobSecret({ GANC_JOB_SECRET: SECRET })).toBe(SECRET);
  });
});

describe('the published schema and the code agree', () => {
  const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../src/search/job.schema.json'), 'utf8'));
  const defs = schema.definitions;

  it('on the id patterns', () => {
    expect(defs.trialId.pattern).toBe(TRIAL_ID.source);
    expect(defs.variantId.pattern).toBe(VARIANT_ID.source);
  });

  it('on every bound', () => {
    const trial = defs.trial.properties;
    expect([defs.steps.maximum, defs.seed.maximum, trial.batch.maximum, trial.evalSamples.minimum, trial.evalSamples.maximum, defs.rung.maximum,
      trial.specText.maxLength, trial.specFile.maxLength, defs.result.properties.error.maxLength])
      .toEqual([JOB_LIMITS.maxSteps, JOB_LIMITS.maxSeed, JOB_LIMITS.maxBatch, JOB_LIMITS.minEvalSamples, JOB_LIMITS.maxEvalSamples, JOB_LIMITS.maxRung,
        JOB_LIMITS.maxSpecChars, JOB_LIMITS.maxSpecFileChars, JOB_LIMITS.maxErrorChars]);
  });

  it('docs/search.md states the bounds', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/search.md'), 'utf8');
    for (const n of [JOB_LIMITS.maxSteps, JOB_LIMITS.maxBatch, JOB_LIMITS.maxEvalSamples]) expect(doc).toContain(String(n));
  });
});

describe('trialRunsDir', () => {
  it('is one folder inside the runs folder', () => {
    expect(trialRunsDir('/out', 'v001.s5.seed0')).toBe('/out/v001.s5.seed0');
  });

  it.each(['../../../../../tmp/x/ESCAPED', '..', '.', 'a/b.s5.seed0', '/etc.s5.seed0', 'v1.s5.seed0\n', ''])('refuses %j', (id) => {
    expect(() => trialRunsDir('/out', id)).toThrow(UserError);
  });
});

describe('confineData', () => {
  let root: string;
  let dataRoot: string;
  let outside: string;
  beforeAll(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'ganc-confine-')));
    dataRoot = join(root, 'data');
    writeImageFolder(join(dataRoot, 'shapes'));
    outside = writeImageFolder(join(root, 'outside', 'secret'));
    symlinkSync(outside, join(dataRoot, 'escape'));
    symlinkSync(join(dataRoot, 'shapes'), join(dataRoot, 'alias'));
    // Image folders inside the root with a link out: to one image, and (deeper) to a whole folder.
    writeImageFolder(join(dataRoot, 'mixed'));
    symlinkSync(join(outside, '0.png'), join(dataRoot, 'mixed', 'leak.png'));
    mkdirSync(join(dataRoot, 'nested', 'deeper'), { recursive: true });
    writeImageFolder(join(dataRoot, 'nested', 'own'));
    symlinkSync(outside, join(dataRoot, 'nested', 'deeper', 'sub'));
    mkdirSync(join(root, 'link-to-root-parent'));
    symlinkSync(dataRoot, join(root, 'link-to-root-parent', 'data'));
  });
  const ir = (folder: string, specFile: string) => checkSpecText(folderSpec(folder), specFile);
  const policy = () => dataPolicy(dataRoot);

  it('reads a folder inside the data root, by its real path', () => {
    expect(confineData(ir('shapes', join(dataRoot, 'spec.gan')), join(dataRoot, 'spec.gan'), policy()).data.path).toBe(join(dataRoot, 'shapes'));
    // A symlink that stays inside the root is followed to where it points.
    expect(confineData(ir('alias', join(dataRoot, 'spec.gan')), join(dataRoot, 'spec.gan'), policy()).data.path).toBe(join(dataRoot, 'shapes'));
    // The root named through a symlink to it.
    const viaLink = join(root, 'link-to-root-parent', 'data', 'shapes');
    expect(confineData(ir(viaLink, '/specs/spec.gan'), '/specs/spec.gan', dataPolicy(join(root, 'link-to-root-parent', 'data'))).data.path)
      .toBe(join(dataRoot, 'shapes'));
  });

  it.each<[string, string, string, RegExp]>([
    ['an absolute folder outside', 'OUTSIDE', '/specs/spec.gan', /is outside this worker's data root/],
    ['/etc', '/etc', '/specs/spec.gan', /is outside this worker's data root/],
    ['a relative path climbing out', '../outside/secret', 'DATA/spec.gan', /is outside this worker's data root/],
    ['"../../.."', '../../..', 'DATA/spec.gan', /is outside this worker's data root/],
    ['"." in a spec file said to be outside', '.', 'OUTSIDE/passwd', /is outside this worker's data root/],
    ['a symlink inside pointing outside', 'escape', 'DATA/spec.gan', /is outside this worker's data root/],
    ['a folder that is not there', 'nothing-here', 'DATA/spec.gan', /not found under this worker's data root/],
    ['a folder inside holding a link to an image outside', 'mixed', 'DATA/spec.gan', /: leak\.png leads outside this worker's data root/],
    ['a folder inside holding, deeper down, a link to a folder outside', 'nested', 'DATA/spec.gan', /: deeper\/sub leads outside this worker's data root/],
  ])('refuses %s', (_, folder, specFile, reason) => {
    const swap = (s: string) => s.replace('OUTSIDE', outside).replace('DATA', dataRoot);
    const spec = swap(specFile);
    expect(() => confineData(ir(swap(folder), spec), spec, policy())).toThrow(reason);
  });

  it('without --data-root, reads no folder at all, but built-in data sets', () => {
    expect(() => confineData(ir('shapes', join(dataRoot, 'spec.gan')), join(dataRoot, 'spec.gan'), dataPolicy(undefined)))
      .toThrow(/this worker reads no data folders \(start it with --data-root DIR\)/);
    const ring8 = checkSpecText(TINY_RING8, '/specs/x.gan');
    expect(confineData(ring8, '/specs/x.gan', dataPolicy(undefined))).toBe(ring8);
  });

  it('--data-root must be a folder', () => {
    expect(() => dataPolicy(join(root, 'no-such'))).toThrow(/--data-root .*: not found/);
    expect(() => dataPolicy(join(dataRoot, 'shapes', '0.png'))).toThrow(/not a folder/);
  });
});

/** TINY_RING8 on MNIST's IDX files or CIFAR-10's binary batches in `folder`. */
const idxSpec = (folder: string): string => TINY_RING8
  .replace('data ring8 batch 32', `data mnist-idx "${folder}" batch 2`)
  .replace('  dense 2\ndiscriminator\n', '  dense 784\n  reshape 28 28 1\ndiscriminator\n  flatten\n');
const cifarSpec = (folder: string): string => TINY_RING8
  .replace('data ring8 batch 32', `data cifar10 "${folder}" batch 2`)
  .replace('  dense 2\ndiscriminator\n', '  dense 3072\n  reshape 32 32 3\ndiscriminator\n  flatten\n');

describe.each([['mnist-idx', idxSpec, 'train-images-idx3-ubyte'], ['cifar10', cifarSpec, 'data_batch_1.bin']])(
  'confineData for data %s (files read from a folder, like data folder)', (kind, specOf, file) => {
    let root: string;
    let dataRoot: string;
    let outside: string;
    beforeAll(() => {
      root = realpathSync(mkdtempSync(join(tmpdir(), 'ganc-confine-files-')));
      dataRoot = join(root, 'data');
      mkdirSync(join(dataRoot, 'own'), { recursive: true });
      writeFileSync(join(dataRoot, 'own', file), 'data');
      outside = join(root, 'outside', 'secret');
      mkdirSync(outside, { recursive: true });
      writeFileSync(join(outside, file), 'secret');
      symlinkSync(outside, join(dataRoot, 'escape'));
      mkdirSync(join(dataRoot, 'leaky'));
      symlinkSync(join(outside, file), join(dataRoot, 'leaky', file));
    });
    const confined = (folder: string, specFile: string, policy = dataPolicy(dataRoot)) =>
      confineData(checkSpecText(specOf(folder), specFile), specFile, policy);

    it('reads a folder inside the data root, by its real path', () => {
      expect(confined('own', join(dataRoot, 'spec.gan')).data.path).toBe(join(dataRoot, 'own'));
    });

    it.each<[string, string, string, RegExp]>([
      ['an absolute folder outside', 'OUTSIDE', '/specs/spec.gan', /is outside this worker's data root/],
      ['a relative path climbing out', '../outside/secret', 'DATA/spec.gan', /is outside this worker's data root/],
      ['a symlink inside pointing outside', 'escape', 'DATA/spec.gan', /is outside this worker's data root/],
      ['a data file linked to one outside', 'leaky', 'DATA/spec.gan', /: \S+ leads outside this worker's data root/],
    ])('refuses %s', (_, folder, specFile, reason) => {
      const swap = (t: string) => t.replace('OUTSIDE', outside).replace('DATA', dataRoot);
      expect(() => confined(swap(folder), swap(specFile))).toThrow(reason);
      expect(() => confined(swap(folder), swap(specFile))).toThrow(new RegExp(`^data ${kind} "`));
    });

    it('without --data-root, reads no such folder at all', () => {
      expect(() => confined('own', join(dataRoot, 'spec.gan'), dataPolicy(undefined))).toThrow(/this worker reads no data folders \(start it with --data-root DIR\)/);
    });
  });

describe('checkedResult', () => {
  const trial = trialOf(TINY_RING8, '/specs/tiny.gan');
  const failed = (why: string) => failedResult(trial, why, 'queue');
  const valid: TrialResult = {
    trialId: trial.id, variantId: 'v001', rung: 0, steps: 5, seed: 0, quality: { modes: 3, hq_share: 0.5 }, diverged: null, error: null,
    runDir: '/w/out/v001.s5.seed0/tiny_ring8-20261201-000000', worker: 'w:1', seconds: 1.5,
  };

  it('keeps a valid result', () => {
    expect(checkedResult(valid, trial, failed)).toBe(valid);
  });

  it.each<[string, unknown, RegExp]>([
    ['null (a job read before it had finished)', null, /the worker's result is invalid: \/ must be object/],
    ['a string', 'done', /the worker's result is invalid/],
    ['a result without its quality', { ...valid, quality: undefined }, /must have required property 'quality'/],
    ['the result of another trial', { ...valid, trialId: 'v002.s5.seed0', variantId: 'v002' }, /the worker's result is for another trial \(trialId v002\.s5\.seed0\)/],
    ['a result under a path-like id', { ...valid, trialId: '../x' }, /must match pattern/],
  ])('turns %s into a failed result', (_, value, reason) => {
    const r = checkedResult(value, trial, failed);
    expect(r.error).toMatch(reason);
    expect(r.trialId).toBe(trial.id);
    expect(r.quality).toBeNull();
  });
});
