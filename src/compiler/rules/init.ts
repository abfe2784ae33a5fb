// `init D|G kaiming|xavier|normal STD|orthogonal`: how a network's kernels start, biases at 0 (a layer's
// own `init` option, read by the networks rule, overrides its network's). Without one, PyTorch's defaults.
import type { InitStatement } from '../../parser/ast.js';
import { type CheckContext, defineRule, lineOf } from '../context.js';
import { readInitScheme } from '../init-scheme.js';
import type { NetworkName } from '../../ir/ir.js';
import type { InitScheme } from '../params.js';
import { isOneOf, NETWORKS } from '../vocabulary.js';

export const initRule = defineRule({
  name: 'init',
  reads: ['constants'],
  writes: ['init'],
  check(ctx, draft) {
    draft.init = checkInits(ctx.statements.inits, ctx);
  },
});

function checkInits(statements: InitStatement[], ctx: CheckContext): Partial<Record<NetworkName, InitScheme>> {
  const schemes: Partial<Record<NetworkName, InitScheme>> = {};
  const seen = new Map<NetworkName, InitStatement>();
  for (const statement of statements) {
    const network = statement.network.name;
    if (!isOneOf(NETWORKS, network)) {
      ctx.report(statement.network, `'init' is for D or G, got '${network}' (e.g. init D kaiming)`);
      continue;
    }
    const first = seen.get(network);
    if (first) {
      ctx.report(statement, `duplicate init for ${network}: the first is at ${lineOf(first.loc)}`);
      continue;
    }
    seen.set(network, statement);
    const scheme = readInitScheme(statement.scheme.name, statement.scheme, statement.args, ctx);
    if (scheme) schemes[network] = scheme;
  }
  return schemes;
}
