// `ganc fmt FILE... [--write] [--check]`: the canonical formatting (to stdout by default).
// Only syntax matters here: a file that does not parse is not formatted, one that does not check is.
import { rename, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { formatDiagnostics } from '../report-diagnostics.js';
import { parse, print } from '../../parser/index.js';
import type { CliCommand } from '../command.js';
import { UserError } from '../../errors.js';
import { type CliIO, readSpec } from '../io.js';

interface FmtOptions {
  write?: boolean;
  check?: boolean;
}

export const command: CliCommand = {
  register(program: Command, io: CliIO) {
    program.command('fmt')
      .description('print spec files in canonical form')
      .argument('<files...>', '.gan spec files')
      .option('--write', 'rewrite the files in place')
      .option('--check', 'write nothing; exit 1 if a file is not in canonical form')
      .action(async (files: string[], options: FmtOptions) => {
        if (options.write && options.check) throw new UserError('use --write or --check, not both');
        for (const file of files) {
          const text = await readSpec(file);
          const { ast, diagnostics } = parse(text, file);
          if (diagnostics.length > 0) {
            io.err(formatDiagnostics(diagnostics, text));
            io.exitCode = 1;
            continue;
          }
          const formatted = print(ast);
          if (options.check) {
            if (formatted !== text) {
              io.err(`${file}: not formatted (run: ganc fmt --write ${file})`);
              io.exitCode = 1;
            }
          } else if (options.write) {
            if (formatted !== text) await writeAtomically(file, formatted);
          } else {
            io.out(formatted);
          }
        }
      });
  },
};

/** Write to a temporary file beside the target, then rename: a crash never leaves half a spec. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, file);
}
