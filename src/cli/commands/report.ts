// `ganc report RUN [--smooth X]`: rebuilds a run's report.html from its files (during training too).
// `ganc report RUN RUN... [--out FILE] [--smooth X]`: one page comparing the runs (curves overlaid, spec
// differences, final samples side by side).
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { UserError } from '../../errors.js';
import type { CliIO } from '../io.js';

interface ReportOptions {
  out?: string;
  smooth?: number;
}

export const DEFAULT_COMPARISON_FILE = 'compare-report.html';

export const command: CliCommand = {
  register(program: Command, io: CliIO) {
    program.command('report')
      .description("rebuild a run's report.html, or compare several runs on one page")
      .argument('<runs...>', 'run directories')
      .option('--out <file>', `the comparison page to write (several runs; default ./${DEFAULT_COMPARISON_FILE})`)
      .option('--smooth <x>', 'initial smoothing of noisy curves, from 0 (none) to 0.99 (the page has a slider)', smoothing)
      .action(async (runs: string[], options: ReportOptions) => {
        const smoothingOption = options.smooth !== undefined ? { smoothing: options.smooth } : {};
        if (runs.length === 1) {
          if (options.out) throw new UserError(`--out is for comparing runs; a run's report is always ${runs[0]}/report.html`);
          const { writeReport } = await import('../../runtime/run/report.js');
          io.out(`report: ${await writeReport(runs[0], smoothingOption)}`);
          return;
        }
        const { writeComparisonReport } = await import('../../runtime/run/report-compare.js');
        io.out(`report: ${await writeComparisonReport(runs, { out: options.out ?? DEFAULT_COMPARISON_FILE, ...smoothingOption })}`);
      });
  },
};

function smoothing(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x) || x < 0 || x >= 1) throw new UserError(`--smooth: expected a number from 0 to 0.99, got '${value}'`);
  return x;
}
