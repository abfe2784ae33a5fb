// `ganc probe SPEC --params P.safetensors --batch B.safetensors [--backend B] --json`: one D step and
// one G step from the given parameters and inputs; every loss, term and parameter gradient as JSON.
import { type Command, Option } from 'commander';
import type { CliCommand } from '../command.js';
import { checkedSpec } from '../checked-spec.js';
import { UserError } from '../../errors.js';
import type { CliIO } from '../io.js';
import { MEMORY_BUDGET_HELP, memorySize } from '../numbers.js';

interface ProbeOptions {
  params: string;
  batch: string;
  backend: string;
  json?: boolean;
  memoryBudget?: number;
}

export const command: CliCommand = {
  register(program: Command, io: CliIO) {
    program.command('probe')
      .description("one D step and one G step from given parameters and inputs: losses, terms, gradients (no update)")
      .argument('<spec>', '.gan spec file')
      .requiredOption('--params <file>', 'safetensors with every parameter (names as `ganc compile --emit params` lists them)')
      .requiredOption('--batch <file>', 'safetensors with real, z_d, z_g, eps (if the spec uses gp/interp), window.<i>')
      .addOption(new Option('--backend <name>', 'tfjs backend').choices(['ganc', 'cpu', 'wasm', 'webgpu', 'tensorflow', 'tensorflow-gpu']).default('ganc'))
      .option('--json', 'print JSON (the only format)')
      .option('--memory-budget <size>', MEMORY_BUDGET_HELP, memorySize('--memory-budget'))
      .action(async (specFile: string, options: ProbeOptions) => {
        if (!options.json) throw new UserError('ganc probe: the output is JSON; pass --json');
        const spec = await checkedSpec(specFile, [], { memoryBudget: options.memoryBudget });
        const [{ probe }, { readSafetensors }, { selectBackend }] = await Promise.all([
          import('../../runtime/probe.js'),
          import('../../runtime/safetensors.js'),
          import('../../runtime/backend.js'),
        ]);
        await selectBackend(options.backend as 'ganc');
        const params = readSafetensors(options.params).tensors;
        const batch = readSafetensors(options.batch).tensors;
        const result = await probe(spec.ir, params, batch, { params: options.params, batch: options.batch });
        const plain = (map: Record<string, { shape: number[]; data: Float32Array }>) =>
          Object.fromEntries(Object.entries(map).map(([n, t]) => [n, { shape: t.shape, data: Array.from(t.data) }]));
        io.out(JSON.stringify({
          spec: spec.ir.name,
          d_step: { ...result.d_step, grads: plain(result.d_step.grads), buffers: plain(result.d_step.buffers) },
          g_step: { ...result.g_step, grads: plain(result.g_step.grads), buffers: plain(result.g_step.buffers) },
          windows: result.windows,
        }));
      });
  },
};
