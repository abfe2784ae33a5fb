// The resources rule alone: the documented maxima of batch, ndis, window, image size, reg and layer
// counts; no tensor larger than a typed array holds; and the estimated memory of a training step within
// the budget (default or given). Added lines start at 7.
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../../src/compiler/index.js';
import { DEFAULT_MEMORY_BUDGET, estimateMemory, LIMITS, parseMemorySize } from '../../../src/compiler/resources.js';
import { IMAGE_PARTS, irOf, itRejects, messagesOf, minimalSpec, SPEC_FILE } from './minimal-spec.js';

/** A spec whose G has one wide hidden layer: its memory grows with `width` and the batch. */
const wideSpec = (width: number, batch = 64): string => minimalSpec({
  data: [`data ring8 batch ${batch}`],
  generator: ['generator', `  dense ${width}`, '  dense 2'],
});

describe('resources rule', () => {
  it('accepts every number at its maximum', () => {
    const spec = minimalSpec({
      data: [`data ring8 batch ${LIMITS.batch}`],
      added: [`train ndis ${LIMITS.ndis}`, `reg R_t window ${LIMITS.window}`],
    });
    expect(irOf(spec).data.batch).toBe(LIMITS.batch);
    const folder = minimalSpec({ data: [`data folder "x" size ${LIMITS.imageSize} channels 1`] }, {
      ...IMAGE_PARTS, generator: ['generator', '  dense 4', '  reshape 2 2 1', `  deconv 1 kernel ${LIMITS.imageSize / 2} stride ${LIMITS.imageSize / 2}`],
    });
    expect(irOf(folder).data.shape).toEqual([LIMITS.imageSize, LIMITS.imageSize, 1]);
  });

  itRejects([
    ["batch 1e9", minimalSpec({ data: ['data ring8 batch 1e9'] }),
      [`1:18: batch is 1000000000; at most ${LIMITS.batch} (docs/language.md, "Limits")`]],
    ["ndis 1e9", minimalSpec({ added: ['train ndis 1e9'] }),
      [`7:12: ndis is 1000000000; at most ${LIMITS.ndis} (docs/language.md, "Limits")`]],
    ["window 1e9", minimalSpec({ added: ['reg R_t window 1e9'] }),
      [`7:16: window is 1000000000; at most ${LIMITS.window} (docs/language.md, "Limits")`]],
    ["too many regs", minimalSpec({ added: Array.from({ length: LIMITS.regs + 1 }, () => 'reg r1') }),
      [`${7 + LIMITS.regs}:1: too many reg statements: at most ${LIMITS.regs}`]],
    ["too many layers", minimalSpec({ generator: ['generator', ...Array.from({ length: LIMITS.layers }, () => '  relu'), '  dense 2'] }),
      [`${4 + LIMITS.layers}:3: too many layers in the generator: at most ${LIMITS.layers}`]],
    ["a kernel no typed array holds", minimalSpec({ generator: ['generator', '  dense 100000', '  dense 100000', '  dense 2'] }),
      [`5:3: this layer is too large: its kernel [100000, 100000] has 10000000000 values, more than the ${LIMITS.tensorElements} one tensor may hold`]],
    ["a layer output no typed array holds", wideSpec(100000, 60000),
      [`4:3: this layer is too large: its output for a batch of 60000 [60000, 100000] has 6000000000 values, more than the ${LIMITS.tensorElements} one tensor may hold`]],
  ]);

  it('refuses a folder image size of 30000 (decoding took 2.9 GB in 90 s), whatever else is wrong', () => {
    // The networks cannot fit such images either; the size is reported at its own place first.
    expect(messagesOf(minimalSpec({ data: ['data folder "x" size 30000'] }, IMAGE_PARTS))[0])
      .toBe(`1:22: image size is 30000; at most ${LIMITS.imageSize} (docs/language.md, "Limits")`);
  });

  it('refuses a spec whose estimate exceeds the default budget, at its largest layer', () => {
    const [message] = messagesOf(wideSpec(1_000_000, 1024));
    expect(message).toMatch(/^4:3: training this spec needs about \d+(\.\d+)? GiB at batch 1024 \(this layer \d+(\.\d+)? GiB\), more than the memory budget of 8 GiB: make layers or the batch smaller, or raise the budget with --memory-budget$/);
  });

  it('holds the estimate to the budget given, either way', () => {
    const spec = wideSpec(1_000_000, 1024);
    expect(compileSource(spec, SPEC_FILE, { memoryBudget: 1024 * 2 ** 30 }).diagnostics).toEqual([]);
    const small = compileSource(minimalSpec(), SPEC_FILE, { memoryBudget: 1024 });
    expect(small.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/more than the memory budget of 1 KiB/)]);
  });

  it('estimates more for a larger batch, a double backprop and Adam than for their absence', () => {
    const base = irOf(minimalSpec({ added: ['optimizer D sgd lr 0.1', 'optimizer G sgd lr 0.1'] }));
    const parts = (ir: typeof base) => ({ ...ir, ema: ir.train.ema });
    const plain = estimateMemory(parts(base));
    expect(estimateMemory({ ...parts(base), data: { ...base.data, batch: base.data.batch * 2 } }).activationBytes).toBeGreaterThan(plain.activationBytes);
    expect(estimateMemory(parts(irOf(minimalSpec({ added: ['optimizer D sgd lr 0.1', 'optimizer G sgd lr 0.1', 'reg gp'] })))).activationBytes)
      .toBeGreaterThan(plain.activationBytes);
    expect(estimateMemory(parts(irOf(minimalSpec()))).stateBytes).toBeGreaterThan(plain.stateBytes);
    expect(plain.totalBytes).toBeLessThan(DEFAULT_MEMORY_BUDGET);
  });

  it("counts D's augmented passes: real_aug/fake_aug for cr and bcr, and with diff T inside every pass of D", () => {
    // IMAGE_PARTS: G keeps 2 + 2·784 values per sample, D (flatten, dense 1) 784 + 2; batch 64.
    const spec = (...added: string[]) => minimalSpec({ added: ['loss wasserstein', ...added] }, IMAGE_PARTS);
    const activations = (text: string) => {
      const ir = irOf(text);
      return estimateMemory({ ...ir, ema: ir.train.ema }).activationBytes;
    };
    const G = 2 + 2 * 784;
    const D = 784 + 2;
    // flip: 3 image-size tensors and a 28×28 selection matrix; translate: 4 and two of them.
    const T = 3 * 784 + 28 * 28 + 4 * 784 + 2 * 28 * 28;
    const bytes = (dStep: number, gStep: number) => 4 * (64 * 2 * Math.max(dStep, gStep) + 64 * 784);
    expect(activations(spec())).toBe(bytes(G + 2 * D, G + D));
    // cr: D on real, fake and T(real); T's tensors once.
    expect(activations(spec('augment flip, translate 0.125', 'reg 10 * cr'))).toBe(bytes(G + 3 * D + T, G + D));
    // bcr: T(real) and T(fake) too.
    expect(activations(spec('augment flip, translate 0.125', 'reg 10 * bcr'))).toBe(bytes(G + 4 * D + 2 * T, G + D));
    // DiffAugment: real and fake through T in the D step, the fakes through T in the G step.
    expect(activations(spec('augment flip, translate 0.125 diff'))).toBe(bytes(G + 2 * (D + T), G + D + T));
    // ... and with a term that differentiates ∇ₓD (gp: interp too), every pass of D three times.
    expect(activations(spec('augment flip, translate 0.125 diff', 'reg 10 * gp')))
      .toBe(4 * (64 * 2 * (G + 3 * 3 * (D + T)) + 2 * 64 * 784));
  });

  it('refuses an augmented spec over the budget that the same spec without augment fits', () => {
    const plain = minimalSpec({ added: ['loss wasserstein'] }, IMAGE_PARTS);
    const augmented = minimalSpec({ added: ['loss wasserstein', 'augment flip, translate 0.125, cutout 0.5, color diff', 'reg 10 * bcr'] }, IMAGE_PARTS);
    const budget = 3 * 2 ** 20;
    expect(compileSource(plain, SPEC_FILE, { memoryBudget: budget }).diagnostics).toEqual([]);
    expect(compileSource(augmented, SPEC_FILE, { memoryBudget: budget }).diagnostics.map((d) => d.message))
      .toEqual([expect.stringMatching(/^training this spec needs about .* more than the memory budget of 3 MiB/)]);
  });

  it('reads memory sizes as --memory-budget takes them', () => {
    expect(parseMemorySize('8G')).toBe(8 * 2 ** 30);
    expect(parseMemorySize('512MiB')).toBe(512 * 2 ** 20);
    expect(parseMemorySize('1.5g')).toBe(1.5 * 2 ** 30);
    expect(parseMemorySize('4096')).toBe(4096);
    for (const bad of ['', 'lots', '-1G', '0', '8X', '1e3']) expect(parseMemorySize(bad), bad).toBeUndefined();
  });
});
