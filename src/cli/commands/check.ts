// `ganc check FILE...`: parse and check every file (and that its data folder exists and holds data), print
// every diagnostic; exit 1 if there is any.
import type { Command } from 'commander';
import { compileSource } from '../../compiler/index.js';
import { byPosition } from '../../parser/diagnostics.js';
import { checkDataPath } from '../data-check.js';
import { formatDiagnostics } from '../report-diagnostics.js';
import type { CliCommand } from '../command.js';
import { UserError } from '../../errors.js';
import { type CliIO, readSpec } from '../io.js';
import { escapeControl } from '../../sanitize.js';
import { MEMORY_BUDGET_HELP, memorySize } from '../numbers.js';

export const command: CliCommand = {
  register(program: Command, io: CliIO) {
    program.command('check')
      .description('parse and type-check spec files; errors as file:line:col with a caret')
      .argument('<files...>', '.gan spec files')
      .option('--memory-budget <size>', MEMORY_BUDGET_HELP, memorySize('--memory-budget'))
      .action(async (files: string[], options: { memoryBudget?: number }) => {
        let failedFiles = 0;
        let errors = 0;
        for (const file of files) {
          let text: string;
          try {
            text = await readSpec(file);
          } catch (e) {
            if (!(e instanceof UserError)) throw e;
            io.err(escapeControl(e.message));
            failedFiles++;
            errors++;
            continue;
          }
          const checked = compileSource(text, file, { memoryBudget: options.memoryBudget });
          // The data folder too: missing or empty is an error at its path, too few images a warning.
          const data = await checkDataPath(text, file, checked.ir);
          for (const warning of data.warnings) io.err(warning);
          const diagnostics = [...checked.diagnostics, ...data.diagnostics].sort(byPosition);
          if (diagnostics.length === 0) {
            io.out(escapeControl(`${file}: ok`));
            continue;
          }
          failedFiles++;
          errors += diagnostics.length;
          io.err(formatDiagnostics(diagnostics, text));
        }
        if (errors > 0) {
          io.err(`${errors} error${errors === 1 ? '' : 's'} in ${failedFiles} file${failedFiles === 1 ? '' : 's'}`);
          io.exitCode = 1;
        }
      });
  },
};
