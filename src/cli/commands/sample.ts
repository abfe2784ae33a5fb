// `ganc sample RUN [--n 64] [--out grid.png] [--seed S] [--no-ema]`: a grid of samples from a run's
// latest checkpoint (EMA generator when the run kept one).
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import type { CliIO } from '../io.js';
import { nonNegativeInteger, positiveInteger } from '../numbers.js';

interface SampleOptions {
  n: number;
  out: string;
  seed: number;
  ema: boolean;
  backend: string;
}

export const command: CliCommand = {
  register(program: Command, io: CliIO) {
    program.command('sample')
      .description("write a PNG grid of samples from a run's latest checkpoint")
      .argument('<run>', 'run directory')
      .option('--n <n>', 'number of samples', positiveInteger('--n'), 64)
      .option('--out <file>', 'PNG file to write', 'samples.png')
      .option('--seed <s>', 'seed of the latent noise', nonNegativeInteger('--seed'), 0)
      .option('--no-ema', 'use the raw generator weights even when the run has EMA weights')
      .option('--backend <name>', 'tfjs backend', 'ganc')
      .action(async (runDir: string, options: SampleOptions) => {
        const [{ selectBackend }, { loadTrainedRun }, { generateSamples }, { writeSampleGrid }, { Rng }, tf] = await Promise.all([
          import('../../runtime/backend.js'),
          import('../../runtime/train/trained-run.js'),
          import('../../runtime/train/generate.js'),
          import('../../runtime/run/sample-grid.js'),
          import('../../runtime/rng.js'),
          import('@tensorflow/tfjs-core'),
        ]);
        await selectBackend(options.backend as 'ganc');
        const run = loadTrainedRun(runDir, options.ema);
        const samples = generateSamples(run.ir, run.generator, Rng.fromSeed(options.seed), options.n);
        tf.dispose(Object.values(run.generator));
        writeSampleGrid(options.out, samples, options.n, run.ir.data.shape);
        io.out(`${options.out}: ${options.n} samples from step ${run.step}${run.usesEma ? ' (EMA weights)' : ''}`);
      });
  },
};
