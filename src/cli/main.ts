// The ganc command line. Each command lives in its own module under commands/ and is loaded only when
// it runs (all are loaded for help), so `ganc check` never pays for what `ganc train` imports.
// Adding a command is one line in COMMANDS.
import { Command, CommanderError } from 'commander';
import type { CliCommand } from './command.js';
import { UserError } from '../errors.js';
import { escapeControlLines } from '../sanitize.js';
import { gancVersion } from '../version.js';
import { type CliIO, processIO } from './io.js';

const COMMANDS: Record<string, () => Promise<{ command: CliCommand }>> = {
  check: () => import('./commands/check.js'),
  fmt: () => import('./commands/fmt.js'),
  compile: () => import('./commands/compile.js'),
  train: () => import('./commands/train.js'),
  probe: () => import('./commands/probe.js'),
  sample: () => import('./commands/sample.js'),
  eval: () => import('./commands/eval.js'),
  search: () => import('./commands/search.js'),
  compare: () => import('./commands/compare.js'),
  worker: () => import('./commands/worker.js'),
  export: () => import('./commands/export.js'),
  report: () => import('./commands/report.js'),
  info: () => import('./commands/info.js'),
};

/** `argv` as in process.argv: [node, script, command, ...]. Resolves to the exit code. */
export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  try {
    const program = new Command('ganc')
      .description('ganc: a small declarative language for GANs')
      .version(gancVersion(), '-V, --version', "print ganc's version")
      .exitOverride()
      .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
    const requested = argv[2];
    const names = requested !== undefined && requested in COMMANDS ? [requested] : Object.keys(COMMANDS);
    for (const name of names) (await COMMANDS[name]()).command.register(program, io);
    await program.parseAsync(argv);
    return io.exitCode;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 1;
    // Messages quote file names and file contents: their control characters are shown escaped.
    if (e instanceof UserError) {
      io.err(escapeControlLines(e.report));
      return e.exitCode;
    }
    io.err(escapeControlLines(`internal error: ${e instanceof Error ? e.message : String(e)}`));
    return 2;
  }
}
