// `ganc export RUN --format onnx|tfjs|torch [--net G|D|both] [--ema|--no-ema] --out DIR`: a run's
// networks at its latest checkpoint, for use outside ganc.
import { type Command, Option } from 'commander';
import type { CliCommand } from '../command.js';
import type { CliIO } from '../io.js';
import type { ExportFormat, ExportNets } from '../../runtime/export/export-run.js';

interface ExportCliOptions {
  format: ExportFormat;
  net: ExportNets;
  /** --ema: true, --no-ema: false, neither: undefined (EMA weights when the run keeps them). */
  ema?: boolean;
  out: string;
}

export const command: CliCommand = {
  register(program: Command, io: CliIO) {
    program.command('export')
      .description("write a run's networks as ONNX, a tfjs LayersModel or a PyTorch state dict with model.py")
      .argument('<run>', 'run directory')
      .addOption(new Option('--format <format>', 'what to write').choices(['onnx', 'tfjs', 'torch']).makeOptionMandatory())
      .addOption(new Option('--net <net>', 'which network').choices(['G', 'D', 'both']).default('G'))
      .option('--ema', "G's EMA weights; an error when the run keeps none (default: EMA weights when kept)")
      .option('--no-ema', "G's raw weights even when the run keeps EMA weights")
      .requiredOption('--out <dir>', 'folder to create (must not exist, or be empty)')
      .action(async (runDir: string, options: ExportCliOptions) => {
        const [{ selectBackend }, { exportRun }] = await Promise.all([
          import('../../runtime/backend.js'),
          import('../../runtime/export/export-run.js'),
        ]);
        // The weights are read and SN's σ computed with tfjs ops; the stock cpu backend is enough for that.
        await selectBackend('cpu');
        const ema = options.ema === undefined ? 'prefer' : options.ema ? 'require' : 'off';
        const result = exportRun({ runDir, format: options.format, net: options.net, ema, out: options.out });
        const weights = result.usesEma ? ' (G: EMA weights)' : '';
        io.out(`${result.out}: ${result.files.join(', ')} from step ${result.step}${weights}`);
      });
  },
};
