// `ganc train SPEC [--steps N] [--seed S] [--batch B] [--backend B] [--out DIR]` and
// `ganc train --resume RUN [--steps N]`: trains, writing a run directory; prints where it is.
import { type Command, Option } from 'commander';
import type { CliCommand } from '../command.js';
import { checkedSpec } from '../checked-spec.js';
import { UserError } from '../../errors.js';
import type { CliIO } from '../io.js';
import { positiveInteger, nonNegativeInteger } from '../numbers.js';

interface TrainOptions {
  steps?: number;
  seed?: number;
  batch?: number;
  backend: string;
  out: string;
  resume?: string;
}

export const command: CliCommand = {
  register(program: Command, io: CliIO) {
    program.command('train')
      .description('train a spec (or resume a run) and write a run directory')
      .argument('[spec]', '.gan spec file (not with --resume)')
      .option('--steps <n>', 'train this many iterations in all (overrides the spec)', positiveInteger('--steps'))
      .option('--seed <s>', 'random seed (overrides the spec)', nonNegativeInteger('--seed'))
      .option('--batch <n>', 'batch size (overrides the spec)', positiveInteger('--batch'))
      .addOption(new Option('--backend <name>', 'tfjs backend').choices(['ganc', 'cpu', 'wasm', 'tensorflow', 'tensorflow-gpu']).default('ganc'))
      .option('--out <dir>', 'folder that receives the run directory', 'runs')
      .option('--resume <run>', 'continue this run directory from its latest checkpoint')
      .action(async (specFile: string | undefined, options: TrainOptions) => {
        if (!specFile && !options.resume) throw new UserError('ganc train: give a spec file, or --resume RUN');
        if (specFile && options.resume) throw new UserError('ganc train: give either a spec file or --resume RUN, not both');
        if (options.resume && (options.seed !== undefined || options.batch !== undefined)) {
          throw new UserError('ganc train --resume: --seed and --batch are fixed by the run being resumed');
        }
        const spec = specFile ? await checkedSpec(specFile) : undefined;
        // The runtime (tfjs) loads only now: `ganc check` and friends never pay for it.
        const [{ runTraining }, { createProgress }] = await Promise.all([
          import('../../runtime/train/run-training.js'),
          import('../../runtime/run/index.js'),
        ]);
        let progress: ReturnType<typeof createProgress> | null = null;
        const result = await runTraining({
          outRoot: options.out,
          spec,
          resume: options.resume,
          steps: options.steps,
          seed: options.seed,
          batch: options.batch,
          backend: options.backend as 'ganc',
          onNotice: (line) => (progress ? progress.message(line) : io.err(line)),
          onIteration: (step, total, record) => {
            progress ??= createProgress({ totalSteps: total, startStep: step - 1 });
            progress.update(step, { D: record.d.loss, G: record.g.loss });
          },
        }).finally(() => progress?.stop());
        io.out(`run: ${result.runDir}`);
        if (result.quality) io.out(`quality: ${Object.entries(result.quality).map(([k, v]) => `${k} ${format(v)}`).join(', ')}`);
        if (result.diverged) {
          io.err(`${result.diverged.message}; the run keeps its last good checkpoint`);
          io.exitCode = 1;
        }
      });
  },
};

const format = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(4));
