// `ganc sample RUN [--n 64] [--out grid.png] [--seed S] [--no-ema] [--scale N] [--label] [--raw F]`: a grid
// of samples from a run's latest checkpoint (EMA generator when the run kept one), upscaled by nearest
// neighbour and labelled with the spec's name and step on request; `--raw` also writes the float samples
// and the latent vectors they came from, as safetensors.
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import type { CliIO } from '../io.js';
import { LIMITS } from '../../compiler/resources.js';
import { boundedInteger, nonNegativeInteger, positiveInteger } from '../numbers.js';
import { UserError } from '../../errors.js';
import { writeFileAtomic } from '../../runtime/run/atomic-write.js';

interface SampleOptions {
  n: number;
  out: string;
  seed: number;
  ema: boolean;
  backend: string;
  scale: number;
  label?: boolean;
  raw?: string;
}

/** The samples [n, ...shape] and latents [n, dim], with what produced them, as safetensors metadata. */
export const RAW_SAMPLES = 'samples';
export const RAW_LATENTS = 'latents';

export const command: CliCommand = {
  register(program: Command, io: CliIO) {
    program.command('sample')
      .description("write a PNG grid of samples from a run's latest checkpoint")
      .argument('<run>', 'run directory')
      .option('--n <n>', `number of samples (at most ${LIMITS.sampleCount})`, boundedInteger('--n', LIMITS.sampleCount), 64)
      .option('--out <file>', 'PNG file to write', 'samples.png')
      .option('--seed <s>', 'seed of the latent noise', nonNegativeInteger('--seed'), 0)
      .option('--no-ema', 'use the raw generator weights even when the run has EMA weights')
      .option('--backend <name>', 'tfjs backend', 'ganc')
      .option('--scale <n>', 'enlarge the picture n times (nearest neighbour)', positiveInteger('--scale'), 1)
      .option('--label', "draw the spec's name and the step above the picture")
      .option('--raw <file>', 'also write the float samples and their latent vectors to this .safetensors file')
      .action(async (runDir: string, options: SampleOptions) => {
        const [{ selectBackend }, { loadTrainedRun }, { generateWithLatentsAsync }, { writeSampleGrid, MAX_SCALE }, { Rng }, tf, raw] = await Promise.all([
          import('../../runtime/backend.js'),
          import('../../runtime/train/trained-run.js'),
          import('../../runtime/train/generate.js'),
          import('../../runtime/run/sample-grid.js'),
          import('../../runtime/rng.js'),
          import('@tensorflow/tfjs-core'),
          import('../../runtime/safetensors.js'),
        ]);
        if (options.scale > MAX_SCALE) throw new UserError(`--scale must be at most ${MAX_SCALE}, got ${options.scale}`);
        await selectBackend(options.backend as 'ganc');
        const run = loadTrainedRun(runDir, options.ema);
        const { samples, latents } = await generateWithLatentsAsync(run.ir, run.generator, Rng.fromSeed(options.seed), options.n);
        tf.dispose(Object.values(run.generator));
        // The step first: a label too wide for the picture is cut at its end, and the step is what tells grids apart.
        const label = options.label ? `step ${run.step}  ${run.ir.name}${run.usesEma ? ' (ema)' : ''}` : undefined;
        writeSampleGrid(options.out, samples, options.n, run.ir.data.shape, { scale: options.scale, label });
        const weights = run.usesEma ? ' (EMA weights)' : '';
        io.out(`${options.out}: ${options.n} samples from step ${run.step}${weights}`);
        if (options.raw) {
          const metadata = { run: runDir, step: String(run.step), seed: String(options.seed), ema: String(run.usesEma), values: 'samples in the data\'s range; latents as G received them' };
          const bytes = raw.encodeSafetensors({
            [RAW_SAMPLES]: { shape: [options.n, ...run.ir.data.shape], data: samples },
            [RAW_LATENTS]: { shape: [options.n, run.ir.latent.dim], data: latents },
          }, metadata);
          writeRawFile(options.raw, bytes);
          io.out(`${options.raw}: the ${options.n} samples and their latents (float32)`);
        }
      });
  },
};

/** The path is the user's: a missing or read-only folder is theirs to fix, said in one line. */
function writeRawFile(path: string, bytes: Buffer): void {
  try {
    writeFileAtomic(path, bytes);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    throw new UserError(`${path}: cannot write the raw samples (${code})`);
  }
}
