// Search throughput: trials per hour on ring8 with a fixed small budget, trained by 1 and by 2 worker
// processes (`ganc search --workers N`'s executor), and their ratio. The same trials run in both cases.
// The machine's load average is printed with the figures: other work on the cores changes them.
//   npx tsx bench/search-throughput.ts [--trials 8] [--steps 50] [--batch 64]
import { mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkSpecText } from '../src/search/check-spec.js';
import { LocalProcessExecutor } from '../src/search/executor-local.js';
import { DEFAULT_GRID } from '../src/search/rewrites.js';
import { trialsOf, type Budget } from '../src/search/scheduler.js';
import type { Trial } from '../src/search/trial.js';
import { generateVariants } from '../src/search/variants.js';

const { values } = parseArgs({ options: { trials: { type: 'string', default: '8' }, steps: { type: 'string', default: '50' }, batch: { type: 'string', default: '64' } } });
const trialCount = Number(values.trials);
const steps = Number(values.steps);
const specFile = join(import.meta.dirname, '..', 'specs', 'ring8.gan');
const specText = readFileSync(specFile, 'utf8');

function benchTrials(): Trial[] {
  const ir = checkSpecText(specText, specFile);
  const { variants } = generateVariants(specText, specFile, ir, { regIndex: 0, families: ['fn', 'scale'], grid: DEFAULT_GRID, depth: 1, maxVariants: trialCount });
  const budget: Budget = { minSteps: steps, maxSteps: steps, eta: 3, seeds: 1, baseSeed: 0, batch: Number(values.batch), evalSamples: 1000 };
  return variants.slice(0, trialCount).flatMap((v) => trialsOf(v, budget, 0, specFile));
}

async function trialsPerHour(workers: number, trials: Trial[]): Promise<{ perHour: number; seconds: number; load: number[] }> {
  const executor = new LocalProcessExecutor(workers, mkdtempSync(join(tmpdir(), `ganc-bench-${workers}-`)));
  const started = performance.now();
  let failed = 0;
  await executor.runAll(trials, (r) => { if (r.error) failed++; });
  const seconds = (performance.now() - started) / 1000;
  await executor.close();
  if (failed > 0) throw new Error(`${failed} trials failed`);
  return { perHour: (trials.length / seconds) * 3600, seconds, load: loadavg() };
}

const trials = benchTrials();
console.log(`ring8, ${trials.length} trials of ${steps} steps (batch ${values.batch}), ${availableParallelism()} cores; load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const one = await trialsPerHour(1, trials);
console.log(`1 worker:  ${one.perHour.toFixed(0)} trials/hour (${one.seconds.toFixed(1)} s; load after ${one.load.map((x) => x.toFixed(2)).join(' ')})`);
const two = await trialsPerHour(2, trials);
console.log(`2 workers: ${two.perHour.toFixed(0)} trials/hour (${two.seconds.toFixed(1)} s; load after ${two.load.map((x) => x.toFixed(2)).join(' ')})`);
console.log(`ratio 2/1: ${(two.perHour / one.perHour).toFixed(2)}`);
