// `ganc compile FILE --emit ir|params [--json]`: the checked IR as JSON, or the parameter table.
import { type Command, Option } from 'commander';
import { compileSource } from '../../compiler/index.js';
import type { GanIR, ParamSpec } from '../../ir/ir.js';
import { formatDiagnostics } from '../report-diagnostics.js';
import type { CliCommand } from '../command.js';
import { type CliIO, readSpec } from '../io.js';
import { MEMORY_BUDGET_HELP, memorySize } from '../numbers.js';

interface CompileOptions {
  emit: 'ir' | 'params';
  json?: boolean;
  memoryBudget?: number;
}

export const command: CliCommand = {
  register(program: Command, io: CliIO) {
    program.command('compile')
      .description('check a spec and emit its IR (JSON) or its parameter table')
      .argument('<file>', '.gan spec file')
      .addOption(new Option('--emit <what>', 'what to emit').choices(['ir', 'params']).default('ir'))
      .option('--json', 'with --emit params: the table as JSON')
      .option('--memory-budget <size>', MEMORY_BUDGET_HELP, memorySize('--memory-budget'))
      .action(async (file: string, options: CompileOptions) => {
        const text = await readSpec(file);
        const { ir, diagnostics } = compileSource(text, file, { memoryBudget: options.memoryBudget });
        if (!ir || diagnostics.length > 0) {
          io.err(formatDiagnostics(diagnostics, text));
          io.exitCode = 1;
          return;
        }
        if (options.emit === 'ir') io.out(JSON.stringify(ir, null, 2));
        else if (options.json) io.out(JSON.stringify(allParams(ir), null, 2));
        else io.out(paramTable(allParams(ir)));
      });
  },
};

const allParams = (ir: GanIR): ParamSpec[] =>
  [ir.generator, ir.discriminator].flatMap((net) => net.layers.flatMap((layer) => layer.params));

export function paramTable(params: ParamSpec[]): string {
  const rows = [
    ['name', 'shape', 'layout', 'trainable'],
    ...params.map((p) => [p.name, `[${p.shape.join(', ')}]`, p.layout.join(','), p.trainable ? 'yes' : 'no']),
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd());
  const count = (ps: ParamSpec[]): number => ps.reduce((sum, p) => sum + p.shape.reduce((a, b) => a * b, 1), 0);
  const trainable = params.filter((p) => p.trainable);
  lines.push('', `${params.length} tensors, ${count(params)} values (${count(trainable)} trainable)`);
  return lines.join('\n');
}
