// Which executor a search uses: a job queue when given one, else worker processes, else this process.
import type { BackendName } from '../runtime/backend.js';
import type { TrialExecutor } from './executor.js';
import { InlineExecutor } from './executor-inline.js';
import { LocalProcessExecutor } from './executor-local.js';
import { QueueExecutor } from './executor-queue.js';
import type { QueueAddress } from './queue-connection.js';

export interface ExecutorChoice {
  workers: number;
  queue?: QueueAddress;
  queueName?: string;
  backend?: BackendName;
}

export function chooseExecutor(choice: ExecutorChoice, runsDir: string, searchId: string): TrialExecutor {
  if (choice.queue) return new QueueExecutor(choice.queue, searchId, choice.queueName);
  if (choice.workers > 1) return new LocalProcessExecutor(choice.workers, runsDir, choice.backend);
  return new InlineExecutor(runsDir, choice.backend);
}
