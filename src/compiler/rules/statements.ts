// Which statements a spec has: at most one of each kind (optimizers: one per network), and the
// four a GAN cannot do without.
import type {
  ClipStatement, DataStatement, GanStatement, LatentStatement, LetStatement, LossStatement, NetworkStatement,
  NormalizeStatement, OptimizerStatement, RegStatement, SpecFile, Statement, TrainStatement,
} from '../../parser/ast.js';
import { type CheckContext, lineOf } from '../context.js';

export interface SpecStatements {
  gan?: GanStatement;
  data?: DataStatement;
  latent?: LatentStatement;
  generator?: NetworkStatement;
  discriminator?: NetworkStatement;
  normalize?: NormalizeStatement;
  loss?: LossStatement;
  clip?: ClipStatement;
  train?: TrainStatement;
  lets: LetStatement[];
  regs: RegStatement[];
  optimizers: OptimizerStatement[];
}

type SingleKey = Exclude<keyof SpecStatements, 'lets' | 'regs' | 'optimizers'>;

const REQUIRED: { key: SingleKey; example: string }[] = [
  { key: 'data', example: 'data mnist batch 64' },
  { key: 'latent', example: 'latent normal 128' },
  { key: 'generator', example: 'generator, then one layer per line' },
  { key: 'discriminator', example: 'discriminator, then one layer per line' },
];

function singleKey(s: Statement): SingleKey | undefined {
  switch (s.kind) {
    case 'Gan': return 'gan';
    case 'Data': return 'data';
    case 'Latent': return 'latent';
    case 'Network': return s.network;
    case 'Normalize': return 'normalize';
    case 'Loss': return 'loss';
    case 'Clip': return 'clip';
    case 'Train': return 'train';
    default: return undefined;
  }
}

export function collectStatements(file: SpecFile, ctx: CheckContext): SpecStatements {
  const found: SpecStatements = { lets: [], regs: [], optimizers: [] };
  const single = found as unknown as Record<SingleKey, Statement | undefined>;
  for (const s of file.statements) {
    if (s.kind === 'Let') found.lets.push(s);
    else if (s.kind === 'Reg') found.regs.push(s);
    else if (s.kind === 'Optimizer') found.optimizers.push(s);
    const key = singleKey(s);
    if (!key) continue;
    const first = single[key];
    if (first) ctx.report(s, `duplicate '${key}' statement: the first is at ${lineOf(first.loc)}`);
    else single[key] = s;
  }
  for (const { key, example } of REQUIRED) {
    // A missing statement has no place of its own; it is reported at the top of the file.
    if (!single[key]) ctx.report(file.loc, `missing '${key}' statement (e.g. ${example})`);
  }
  return found;
}
