// `ganc eval RUN [--n 2000] [--json]`: the quality measures of a run's latest checkpoint
// (ring8/grid25: modes, hq_share; mnist: fd_lenet, class_coverage, and class_match for a conditional G;
// folder: fd_randproj).
// `ganc eval --classifier`: the held-out accuracy of the classifier behind fd_lenet.
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import { UserError } from '../../errors.js';
import type { CliIO } from '../io.js';
import { LIMITS } from '../../compiler/resources.js';
import { boundedInteger, nonNegativeInteger } from '../numbers.js';

interface EvalOptions {
  n: number;
  seed: number;
  json?: boolean;
  backend: string;
  classifier?: boolean;
}

export const command: CliCommand = {
  register(program: Command, io: CliIO) {
    program.command('eval')
      .description("quality measures of a run's latest checkpoint")
      .argument('[run]', 'run directory')
      .option('--n <n>', `number of generated (and real) samples compared (at most ${LIMITS.evalSamples})`, boundedInteger('--n', LIMITS.evalSamples), 2000)
      .option('--seed <s>', 'seed of the latent noise', nonNegativeInteger('--seed'), 0)
      .option('--json', 'print JSON')
      .option('--backend <name>', 'tfjs backend', 'ganc')
      .option('--classifier', "instead: the held-out accuracy of fd_lenet's MNIST classifier")
      .action(async (runDir: string | undefined, options: EvalOptions) => {
        if (options.classifier) return evalClassifier(io, options);
        if (!runDir) throw new UserError('ganc eval: give a run directory, or --classifier');
        const [{ selectBackend }, { loadTrainedRun }, { generateSamplesAsync, requestedLabels }, { loadDataset }, { evaluateSamples }, { Rng }, tf] = await Promise.all([
          import('../../runtime/backend.js'),
          import('../../runtime/train/trained-run.js'),
          import('../../runtime/train/generate.js'),
          import('../../runtime/data/index.js'),
          import('../../runtime/metrics/index.js'),
          import('../../runtime/rng.js'),
          import('@tensorflow/tfjs-core'),
        ]);
        await selectBackend(options.backend as 'ganc');
        const run = loadTrainedRun(runDir);
        const dataset = await loadDataset(run.ir.data, { seed: run.ir.train.seed, specDir: runDir });
        const fake = await generateSamplesAsync(run.ir, run.generator, Rng.fromSeed(options.seed), options.n);
        tf.dispose(Object.values(run.generator));
        const scores = await evaluateSamples(run.ir.data, dataset, fake, options.n, { requestedLabels: requestedLabels(run.ir, options.n) });
        if (options.json) io.out(JSON.stringify({ run: runDir, step: run.step, n: options.n, ...scores }));
        else io.out([`${runDir} at step ${run.step} (${options.n} samples)`, ...Object.entries(scores).map(([k, v]) => `  ${k.padEnd(16)} ${v}`)].join('\n'));
      });
  },
};

async function evalClassifier(io: CliIO, options: EvalOptions): Promise<void> {
  const [{ selectBackend }, { classifierAccuracy }] = await Promise.all([
    import('../../runtime/backend.js'),
    import('../../runtime/metrics/classifier-accuracy.js'),
  ]);
  await selectBackend(options.backend as 'ganc');
  const result = classifierAccuracy();
  if (options.json) io.out(JSON.stringify(result));
  else io.out(`${result.weights}: held-out accuracy ${(100 * result.accuracy).toFixed(2)}% on ${result.heldOut} digits (stated: ${(100 * result.stated).toFixed(2)}%)`);
}
