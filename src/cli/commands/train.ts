// `ganc train SPEC [--set "KEY VALUE"]... [--steps N] [--seed S] [--batch B] [--backend B] [--out DIR]` and
// `ganc train --resume RUN [--steps N]`: trains, writing a run directory; prints where it is.
// The run's spec.gan is the spec that ran: every override (--set, --steps, --seed, --batch) written in, in
// canonical form. Ctrl-C (SIGINT) or SIGTERM finishes the iteration, writes a checkpoint and the report,
// says so in one line and exits 130; a second one quits at once.
import { dirname, join } from 'node:path';
import { type Command, Option } from 'commander';
import type { CliCommand } from '../command.js';
import { checkedSpec } from '../checked-spec.js';
import { applyOverrides, effectiveSpecText, type Override } from '../../compiler/overrides.js';
import { parse, print } from '../../parser/index.js';
import { UserError } from '../../errors.js';
import { type CliIO, readSpec } from '../io.js';
import { MEMORY_BUDGET_HELP, memorySize, positiveInteger, nonNegativeInteger } from '../numbers.js';

interface TrainOptions {
  steps?: number;
  seed?: number;
  batch?: number;
  set: string[];
  backend: string;
  out: string;
  resume?: string;
  memoryBudget?: number;
}

/** Exit code of a run stopped by a signal, as shells report a process killed by SIGINT. */
export const INTERRUPTED_EXIT_CODE = 130;

export const command: CliCommand = {
  register(program: Command, io: CliIO) {
    program.command('train')
      .description('train a spec (or resume a run) and write a run directory')
      .argument('[spec]', '.gan spec file (not with --resume)')
      .option('--set <override>', 'override a spec setting, e.g. "optimizer D lr 1e-4", "let lambda 10", "train steps 200", "data batch 32" (repeatable)', collect, [])
      .option('--steps <n>', 'train this many iterations in all (overrides the spec)', positiveInteger('--steps'))
      .option('--seed <s>', 'random seed (overrides the spec)', nonNegativeInteger('--seed'))
      .option('--batch <n>', 'batch size (overrides the spec)', positiveInteger('--batch'))
      .addOption(new Option('--backend <name>', 'tfjs backend').choices(['ganc', 'cpu', 'wasm', 'webgpu', 'tensorflow', 'tensorflow-gpu']).default('ganc'))
      .option('--out <dir>', 'folder that receives the run directory', 'runs')
      .option('--resume <run>', 'continue this run directory from its latest checkpoint')
      .option('--memory-budget <size>', MEMORY_BUDGET_HELP, memorySize('--memory-budget'))
      .action(async (specFile: string | undefined, options: TrainOptions, cmd: Command) => {
        if (!specFile && !options.resume) throw new UserError('ganc train: give a spec file, or --resume RUN');
        if (specFile && options.resume) throw new UserError('ganc train: give either a spec file or --resume RUN, not both');
        if (options.resume && (options.seed !== undefined || options.batch !== undefined)) {
          throw new UserError('ganc train --resume: --seed and --batch are fixed by the run being resumed');
        }
        if (options.resume && options.set.length > 0) {
          throw new UserError('ganc train --resume: --set is for new runs (a run continues with its own spec; only --steps can change)');
        }
        const overrides = commandLineOverrides(options);
        const checked = specFile ? await checkedSpec(specFile, overrides, { memoryBudget: options.memoryBudget }) : undefined;
        const spec = checked ? { ...checked, text: effectiveSpecText(checked.text, checked.file, dirname(checked.file)) } : undefined;
        const resumeSpecText = options.resume && options.steps !== undefined ? await resumedSpecText(options.resume, options.steps) : undefined;
        // The runtime (tfjs) loads only now: `ganc check` and friends never pay for it.
        const [{ runTraining }, { createProgress }] = await Promise.all([
          import('../../runtime/train/run-training.js'),
          import('../../runtime/run/index.js'),
        ]);
        const stop = new AbortController();
        const onSignal = (signal: NodeJS.Signals): void => {
          // A second Ctrl-C means now: checkpoints are written atomically, so nothing is left half-written.
          if (stop.signal.aborted) process.exit(INTERRUPTED_EXIT_CODE);
          stop.abort(signal);
        };
        process.on('SIGINT', onSignal);
        process.on('SIGTERM', onSignal);
        let progress: ReturnType<typeof createProgress> | null = null;
        const result = await runTraining({
          outRoot: options.out,
          spec,
          resume: options.resume,
          steps: options.steps,
          seed: options.seed,
          batch: options.batch,
          backend: options.backend as 'ganc',
          command: commandLine(cmd),
          resumeSpecText,
          signal: stop.signal,
          onNotice: (line) => (progress ? progress.message(line) : io.err(line)),
          onIteration: (step, total, record) => {
            progress ??= createProgress({ totalSteps: total, startStep: step - 1 });
            progress.update(step, { D: record.d.loss, G: record.g.loss });
          },
        }).finally(() => {
          progress?.stop();
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        });
        if (result.interrupted) {
          io.err(`interrupted at step ${result.step}; checkpoint and report written: ${result.runDir}`);
          io.exitCode = INTERRUPTED_EXIT_CODE;
          return;
        }
        io.out(`run: ${result.runDir}`);
        if (result.quality) io.out(`quality: ${Object.entries(result.quality).map(([k, v]) => `${k} ${format(v)}`).join(', ')}`);
        if (result.diverged) {
          // Say which checkpoint is left, if any: a run that diverges before its first one has none.
          const { listCheckpoints } = await import('../../runtime/run/checkpoint.js');
          const kept = listCheckpoints(join(result.runDir, 'checkpoints')).filter((c) => c.step <= result.step).at(-1);
          io.err(`${result.diverged.message}; ${kept ? `the run keeps its last good checkpoint (step ${kept.step})` : 'no checkpoint was saved before it'}`);
          io.exitCode = 1;
        }
      });
  },
};

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `ganc train ...` as typed, for run.json: commander keeps the argv it parsed (untyped) on the program. */
function commandLine(cmd: Command): string[] {
  const raw = (cmd.parent as { rawArgs?: unknown } | null)?.rawArgs;
  return ['ganc', ...(Array.isArray(raw) ? raw.slice(2).map(String) : cmd.args)];
}

/** --set in order, then the dedicated options, which win over a --set of the same setting. */
function commandLineOverrides(options: TrainOptions): Override[] {
  const overrides: Override[] = options.set.map((text, i) => ({ label: `--set ${i + 1}`, text }));
  if (options.resume) return overrides;
  if (options.steps !== undefined) overrides.push({ label: '--steps', text: `train steps ${options.steps}` });
  if (options.seed !== undefined) overrides.push({ label: '--seed', text: `train seed ${options.seed}` });
  if (options.batch !== undefined) overrides.push({ label: '--batch', text: `data batch ${options.batch}` });
  return overrides;
}

/** The run's spec.gan with the new steps written in; undefined when it has none that parses (an old run). */
async function resumedSpecText(runDir: string, steps: number): Promise<string | undefined> {
  const file = join(runDir, 'spec.gan');
  let text: string;
  try {
    text = await readSpec(file);
  } catch {
    return undefined;
  }
  if (parse(text, file).diagnostics.length > 0) return undefined;
  return print(parse(applyOverrides(text, file, [{ label: '--steps', text: `train steps ${steps}` }]).text, file).ast);
}

const format = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(4));
