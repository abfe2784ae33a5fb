// A child process that trains trials sent to it one at a time (see local-worker.ts). It is started
// with the same runtime as this process: plain node for the built CLI, node with tsx for sources.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RESULT_PREFIX, type TrialRequest } from './local-worker.js';
import type { TrialResult } from './trial.js';

/** The command that starts a trial process next to this module, compiled or not. */
function trialCommand(): string[] {
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.ts')) {
    const entry = self.replace(/trial-process\.ts$/, 'local-worker-main.ts');
    return [process.execPath, '--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href, entry];
  }
  return [process.execPath, self.replace(/trial-process\.js$/, 'local-worker-main.js')];
}

class TrialProcessExit extends Error {}

export class TrialProcess {
  private child: ChildProcess | null = null;
  private waiting: { resolve: (r: TrialResult) => void; reject: (e: Error) => void } | null = null;

  private readonly command = trialCommand();

  /** `env`: variables set for the child on top of this process's environment. */
  constructor(private readonly onStderr?: (line: string) => void, private readonly env: Record<string, string> = {}) {}

  private start(): ChildProcess {
    const child = spawn(this.command[0], this.command.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...this.env } });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith(RESULT_PREFIX) || !this.waiting) return;
      const waiting = this.waiting;
      this.waiting = null;
      waiting.resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as TrialResult);
    });
    createInterface({ input: child.stderr! }).on('line', (line) => this.onStderr?.(line));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = null;
      const waiting = this.waiting;
      this.waiting = null;
      waiting?.reject(new TrialProcessExit(`trial process ${child.pid} exited (${signal ?? `code ${code}`}) mid-trial`));
    });
    return child;
  }

  /** Trains one trial in the child, starting a child first if there is none (or the last one died). */
  run(request: TrialRequest): Promise<TrialResult> {
    const child = this.child ?? (this.child = this.start());
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      child.stdin!.write(`${JSON.stringify(request)}\n`);
    });
  }

  /** Ends the child: at once (SIGKILL) if asked, else by closing its input after the current trial. */
  stop(kill = false): void {
    const child = this.child;
    this.child = null;
    if (!child) return;
    if (kill) child.kill('SIGKILL');
    else child.stdin!.end();
  }
}
