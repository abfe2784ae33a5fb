// The shape of a CLI command module: it adds its subcommand (arguments, options, action) to the program.
import type { Command } from 'commander';
import type { CliIO } from './io.js';

export interface CliCommand {
  register(program: Command, io: CliIO): void;
}
