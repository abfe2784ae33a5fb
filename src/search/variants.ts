// From a spec to the set of formula variants a search trains: the rewrites of one `reg` statement,
// merged by canonical key (equivalent formulas are trained once), each written as a checked .gan file,
// plus the two baselines every variant is compared with: the spec's own formula and no regularizer.
// Degenerate rewrites (one value whatever D does: degenerate.ts) are skipped with a note. When there are
// more unique rewrites than --max-variants, they are sampled across the rewrite families in turn (fn, exp,
// scale, ...), each family's in a seeded random order, so a small cap still tries every family.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GanIR } from '../ir/ir.js';
import { canonicalKey, NO_REGULARIZER_KEY } from './canonical.js';
import { checkSpecText } from './check-spec.js';
import { printReg } from './expr-print.js';
import { degeneracy } from './degenerate.js';
import { rewrite, type Candidate, type RewriteFamily, type RewriteGrid } from './rewrites.js';
import { Rng } from '../runtime/rng.js';
import { replaceRegLines } from './spec-text.js';
import { UserError } from '../errors.js';

export type VariantKind = 'variant' | 'original' | 'no-regularizer';

/** One thing the search trains: plain data, stored in search-state.json and sent to workers. */
export interface Variant {
  id: string;
  kind: VariantKind;
  /** The `reg` statement as written into the variant spec, or `(none)`. */
  reg: string;
  key: string;
  /** The edits that produced it from the spec's formula (empty for the baselines). */
  edits: string[];
  /** Edits of other candidates that turned out equivalent and were merged into this one. */
  duplicates: string[][];
  /** The rewrite family of its last edit (absent for the baselines). */
  family?: RewriteFamily;
  /** The variant spec's path, relative to the search directory. */
  file: string;
  specText: string;
}

export interface VariantOptions {
  /** 0-based index of the reg statement to vary. */
  regIndex: number;
  families: RewriteFamily[];
  grid: RewriteGrid;
  /** How many edits are composed (1: each variant is one edit away from the spec). */
  depth: number;
  /** Keep at most this many unique variants (sampled across families when there are more). */
  maxVariants: number;
}

/** A rewrite not trained because its formula takes one value whatever D does. */
export interface SkippedVariant {
  reg: string;
  edits: string[];
  /** `identically 0`, `constant 1`, `always NaN`. */
  why: string;
}

export interface VariantSet {
  variants: Variant[];
  /** Unique candidates dropped by `maxVariants`. */
  truncated: number;
  /** Degenerate rewrites, not trained. */
  skipped: SkippedVariant[];
}

/** Seeds the order in which each family's rewrites are sampled: the same options give the same variants. */
const SAMPLE_SEED = 14;

export const VARIANTS_DIR = 'variants';

/** `--reg N` names a reg statement the spec does not have. */
export class RegChoiceError extends UserError {}

function keyOf(c: Candidate): string {
  const key = canonicalKey(c.formula, c.window);
  return key === '0' ? NO_REGULARIZER_KEY : key;
}

function commentFor(id: string, edits: string[]): string {
  return edits.length > 0 ? `  # search variant ${id}: ${edits.join(', ')}` : '';
}

export function generateVariants(specText: string, specFile: string, ir: GanIR, opts: VariantOptions): VariantSet {
  const reg = ir.regularizers[opts.regIndex];
  if (!reg) throw new RegChoiceError(`${specFile}: has no reg statement number ${opts.regIndex + 1} (it has ${ir.regularizers.length})`);
  const spec = (regLine: string): string => replaceRegLines(specText, specFile, opts.regIndex, regLine);
  const byKey = new Map<string, Variant>();
  const make = (id: string, kind: VariantKind, c: Candidate | null): Variant => {
    // A name (`reg cubic = ...`) describes the spec's own formula: the original keeps it, a rewrite of the
    // formula drops it and is labelled by its own text.
    const regLine = c ? printReg(c.formula, c.window, kind === 'original' ? reg.name : undefined) : '(none)';
    const text = c ? spec(regLine + commentFor(id, c.edits))
      : spec('# reg removed: the search baseline without this regularizer');
    return {
      id, kind, reg: regLine, key: c ? keyOf(c) : NO_REGULARIZER_KEY, edits: c?.edits ?? [], duplicates: [],
      file: join(VARIANTS_DIR, `${id}.gan`), specText: text,
    };
  };
  const original: Candidate = { formula: reg.formula, window: reg.window, edits: [] };
  for (const baseline of [make('original', 'original', original), make('no-regularizer', 'no-regularizer', null)]) {
    byKey.set(baseline.key, baseline);
  }

  let frontier = [original];
  let unique = 0;
  let truncated = 0;
  const skipped: SkippedVariant[] = [];
  const skippedKeys = new Set<string>();
  for (let depth = 0; depth < opts.depth; depth++) {
    // This depth's new unique candidates in generation order, each with the family of its edit.
    const fresh = new Map<string, { candidate: Candidate; family: RewriteFamily; duplicates: string[][] }>();
    for (const c of frontier) {
      for (const family of opts.families) {
        for (const candidate of rewrite(c, [family], opts.grid)) {
          const key = keyOf(candidate);
          const seen = byKey.get(key) ?? fresh.get(key);
          if (seen) { seen.duplicates.push(candidate.edits); continue; }
          if (skippedKeys.has(key)) continue;
          const why = degeneracy(candidate.formula);
          if (why) {
            skippedKeys.add(key);
            skipped.push({ reg: printReg(candidate.formula, candidate.window), edits: candidate.edits, why });
            continue;
          }
          fresh.set(key, { candidate, family, duplicates: [] });
        }
      }
    }
    const kept = sampleAcrossFamilies([...fresh.values()], opts.maxVariants - unique, opts.families);
    truncated += fresh.size - kept.size;
    const next: Candidate[] = [];
    for (const entry of fresh.values()) {
      if (!kept.has(entry)) continue;
      unique++;
      const variant = make(`v${String(unique).padStart(3, '0')}`, 'variant', entry.candidate);
      byKey.set(variant.key, { ...variant, duplicates: entry.duplicates, family: entry.family });
      next.push(entry.candidate);
    }
    frontier = next;
  }
  return { variants: [...byKey.values()], truncated, skipped };
}

/**
 * At most `room` of the entries: all when they fit, else one from each family in turn (families in the
 * order given, each family's entries in a seeded random order) until `room` are taken.
 */
function sampleAcrossFamilies<T extends { family: RewriteFamily }>(entries: T[], room: number, families: RewriteFamily[]): Set<T> {
  if (entries.length <= room) return new Set(entries);
  const rng = Rng.fromSeed(SAMPLE_SEED);
  const queues = families.map((family) => {
    const own = entries.filter((e) => e.family === family);
    const order = Int32Array.from(own, (_, i) => i);
    rng.shuffle(order);
    return Array.from(order, (i) => own[i]);
  });
  const kept = new Set<T>();
  while (kept.size < room) {
    for (const queue of queues) {
      const next = queue.shift();
      if (next && kept.size < room) kept.add(next);
    }
  }
  return kept;
}

/** A variant spec that does not check, or checks to another formula, is a bug in the search. */
export class VariantCheckError extends Error {}

/** Writes every variant's spec into the search directory and checks each one. */
export function writeVariantFiles(searchDir: string, variants: Variant[], regIndex: number, regCount: number): void {
  mkdirSync(join(searchDir, VARIANTS_DIR), { recursive: true });
  for (const v of variants) {
    const path = join(searchDir, v.file);
    writeFileSync(path, v.specText);
    let ir: GanIR;
    try {
      ir = checkSpecText(v.specText, path);
    } catch (e) {
      throw new VariantCheckError(`variant ${v.id} (${v.reg}) does not check — a bug in ganc search:\n${(e as Error).message}`);
    }
    const checked = v.kind === 'no-regularizer' ? undefined : ir.regularizers[regIndex];
    const key = checked ? keyOf({ formula: checked.formula, window: checked.window, edits: [] }) : NO_REGULARIZER_KEY;
    const expectedCount = v.kind === 'no-regularizer' ? regCount - 1 : regCount;
    if (key !== v.key || ir.regularizers.length !== expectedCount) {
      throw new VariantCheckError(`variant ${v.id} (${v.reg}) reads back as ${key}, not ${v.key} — a bug in ganc search`);
    }
  }
}
