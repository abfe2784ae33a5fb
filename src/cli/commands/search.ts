// `ganc search SPEC`: formula search over one `reg` statement's variants, trained with successive
// halving and ranked in SEARCH_DIR/leaderboard.md, leaderboard.json and search.html.
import { basename, extname, join } from 'node:path';
import type { Command } from 'commander';
import type { BackendName } from '../../runtime/backend.js';
import { chooseExecutor } from '../../search/executors.js';
import { jobSecret } from '../../search/job.js';
import { PASSWORD_ENV, reachableQueue, type QueueAddress } from '../../search/queue-connection.js';
import { describeWorker, formatScore, LEADERBOARD_MD, notes } from '../../search/leaderboard.js';
import { lockSearchDir } from '../../search/search-lock.js';
import { MAX_WORKERS, SEARCH_FUNCTIONS, searchConfig, type RawSearchOptions } from '../../search/search-options.js';
import { createSearch, runSearch, runsDirOf } from '../../search/search.js';
import { loadState } from '../../search/state.js';
import type { CliCommand } from '../command.js';
import { UserError } from '../../errors.js';
import { escapeControl } from '../../sanitize.js';
import { type CliIO, readSpec } from '../io.js';

interface SearchCliOptions extends RawSearchOptions {
  out?: string;
  resume?: string;
  workers: string;
  queue?: string;
  queueName?: string;
  backend?: BackendName;
}

function defaultSearchDir(specFile: string): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('searches', `${basename(specFile, extname(specFile))}-${stamp}`);
}

export const command: CliCommand = {
  register(program: Command, io: CliIO) {
    program.command('search')
      .description('formula search: train variants of a reg formula with successive halving and rank them')
      .argument('[spec]', '.gan spec file (not needed with --resume)')
      .option('--reg <n>', 'which reg statement to vary, counting from 1', '1')
      .option('--vary <families>', 'rewrite families: fn, exp, scale, combine, window', 'fn,exp,scale,combine,window')
      .option('--fns <list>', `functions fn tries (${SEARCH_FUNCTIONS.join(', ')})`)
      .option('--exps <list>', 'exponents exp tries (default 1,2,3)')
      .option('--scales <list>', 'factors scale tries (default 0.1,0.3,3,10)')
      .option('--combine-terms <list>', 'terms combine adds (default gp,r1)')
      .option('--combine-scales <list>', 'coefficients of added terms (default 0.1,1,10)')
      .option('--windows <list>', 'windows window tries (default 1,2,4)')
      .option('--depth <n>', 'edits composed per variant', '1')
      .option('--max-variants <n>', 'train at most this many unique variants', '100')
      .option('--min-steps <n>', 'steps of the first rung', '100')
      .option('--max-steps <n>', 'steps of the last rung', '900')
      .option('--eta <n>', 'successive halving: keep the best 1/eta of each rung', '3')
      .option('--seeds <n>', 'seeds of the last rung', '3')
      .option('--seed <n>', 'first seed', '0')
      .option('--batch <n>', 'data batch size (overrides the spec)')
      .option('--eval-samples <n>', 'generated samples per quality evaluation', '2000')
      .option('--out <dir>', 'search directory (default searches/<spec>-<time>)')
      .option('--resume <dir>', 'continue the search in this directory')
      .option('--workers <n>', `trial processes on this machine (at most ${MAX_WORKERS})`, '1')
      .option('--queue <url>', `put trials on a BullMQ queue at redis[s]://HOST:PORT[/DB] (run ganc worker --queue there; password: ${PASSWORD_ENV})`)
      .option('--queue-name <name>', 'queue name (default ganc-trials)')
      .option('--backend <name>', 'tfjs backend of local trials (ganc, cpu, wasm, webgpu)')
      .action((spec: string | undefined, o: SearchCliOptions) => search(spec, o, io));
  },
};

async function search(spec: string | undefined, o: SearchCliOptions, io: CliIO): Promise<void> {
  const workers = Number(o.workers);
  if (!Number.isInteger(workers) || workers < 1 || workers > MAX_WORKERS) {
    throw new UserError(`--workers: '${escapeControl(o.workers)}' is not a whole number from 1 to ${MAX_WORKERS}`);
  }
  // Before a search directory exists: a bad address or secret must leave nothing behind.
  const queue = o.queue ? await reachableQueue(o.queue, (line) => io.err(line)) : undefined;
  if (queue) jobSecret();
  let dir: string;
  let release: () => void;
  if (o.resume) {
    dir = o.resume;
    release = lockSearchDir(dir);
    try {
      const state = loadState(dir);
      io.out(`resuming ${escapeControl(dir)}: ${Object.keys(state.results).length} trials already finished`);
    } catch (e) {
      release();
      throw e;
    }
  } else {
    if (!spec) throw new UserError('ganc search: give a spec file, or --resume DIR');
    dir = o.out ?? defaultSearchDir(spec);
    const state = createSearch(dir, searchConfig(spec, o), await readSpec(spec));
    release = lockSearchDir(dir);
    const merged = state.variants.reduce((n, v) => n + v.duplicates.length, 0);
    io.out(`${escapeControl(dir)}: ${state.variants.length - 2} unique variants and 2 baselines (${merged} equivalent candidates merged)`);
  }
  try {
    await searchIn(dir, workers, queue, o, io);
  } finally {
    release();
  }
}

async function searchIn(dir: string, workers: number, queue: QueueAddress | undefined, o: SearchCliOptions, io: CliIO): Promise<void> {
  const state = loadState(dir);
  const executor = chooseExecutor({ workers, queue, queueName: o.queueName, backend: o.backend }, runsDirOf(dir), state.searchId);
  io.out(`trials run ${executor.description}`);
  try {
    const board = await runSearch(dir, executor, {
      onRung: (rung, steps, trials) => io.out(`rung ${rung}: ${trials} trials of ${steps} steps`),
      onResult: (r, finished) => {
        const what = r.diverged ? `diverged at step ${r.diverged.step} (${r.diverged.term})`
          : r.error ? `failed: ${r.error}` : Object.entries(r.quality ?? {}).map(([k, v]) => `${k} ${typeof v === 'number' ? +v.toFixed(4) : 'NaN'}`).join(', ');
        // A result's texts come from a worker: shown, never sent raw to the terminal.
        io.out(escapeControl(`[${finished}] ${r.trialId}: ${what} (${r.seconds.toFixed(1)} s on ${describeWorker(r.worker)})`));
      },
    });
    io.out(`\n${escapeControl(join(dir, LEADERBOARD_MD))}:`);
    // No signal, ties, sampling and skipped variants come before the rows they qualify.
    for (const line of notes(board)) io.out(line);
    for (const row of board.ranking.slice(0, 10)) {
      const scores = board.measures.map((m) => `${m.name} ${formatScore(row, m.name)}`).join(', ');
      io.out(`${String(row.rank).padStart(3)}. ${row.id.padEnd(15)} ${row.reg}  ${scores}${row.flags.length > 0 ? '  [flagged]' : ''}`);
    }
  } finally {
    await executor.close();
  }
}
