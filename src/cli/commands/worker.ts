// `ganc worker`: trains trials for searches. `--local` serves one coordinator over stdin/stdout (how
// `ganc search --workers N` starts its processes); `--queue redis://HOST:PORT` takes trials off a
// BullMQ queue, on any machine that can reach the Redis server. What a queue worker will and will not
// do for a job is docs/security.md.
import { join } from 'node:path';
import type { Command } from 'commander';
import type { BackendName } from '../../runtime/backend.js';
import { dataPolicy } from '../../search/data-root.js';
import { jobSecret, SECRET_ENV } from '../../search/job.js';
import { serveTrialsOverStdio } from '../../search/local-worker.js';
import { PASSWORD_ENV, reachableQueue } from '../../search/queue-connection.js';
import { runQueueWorker } from '../../search/queue-worker.js';
import type { CliCommand } from '../command.js';
import { UserError } from '../../errors.js';
import { escapeControl } from '../../sanitize.js';
import type { CliIO } from '../io.js';

interface WorkerCliOptions {
  local?: boolean;
  queue?: string;
  queueName?: string;
  out: string;
  dataRoot?: string;
  lockMs: string;
  backend?: BackendName;
}

export const command: CliCommand = {
  register(program: Command, io: CliIO) {
    program.command('worker')
      .description('train search trials: for a local coordinator (--local) or from a job queue (--queue)')
      .option('--local', 'read trials from stdin, write results to stdout')
      .option('--queue <url>', `take trials from the BullMQ queue at redis[s]://HOST:PORT[/DB] (password: ${PASSWORD_ENV})`)
      .option('--queue-name <name>', 'queue name (default ganc-trials)')
      .option('--out <dir>', 'where queue trials keep their runs: the only folder a job writes to', join('runs', 'search-trials'))
      .option('--data-root <dir>', 'the folder under which jobs\' data folders must lie (default: no data folders)')
      .option('--lock-ms <n>', 'job lock duration: how soon a dead worker\'s trial goes to another', '30000')
      .option('--backend <name>', 'tfjs backend (ganc, cpu, wasm, webgpu)')
      .addHelpText('after', `\nWith ${SECRET_ENV} set, a queue worker runs only jobs signed with that secret.`)
      .action(async (o: WorkerCliOptions) => {
        if (Boolean(o.local) === Boolean(o.queue)) throw new UserError('ganc worker: give exactly one of --local and --queue URL');
        if (o.local) return serveTrialsOverStdio();
        const lockMs = Number(o.lockMs);
        if (!Number.isInteger(lockMs) || lockMs < 100) throw new UserError(`--lock-ms: '${escapeControl(o.lockMs)}' is not a whole number ≥ 100`);
        const policy = dataPolicy(o.dataRoot);
        jobSecret(); // a bad secret fails here, not at the first job
        const address = await reachableQueue(o.queue!, (line) => io.err(line));
        await runQueueWorker({
          address, queueName: o.queueName, outRoot: o.out, dataPolicy: policy, backend: o.backend, lockMs, log: (line) => io.err(line),
        });
      });
  },
};
