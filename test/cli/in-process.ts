// main() run in this process with its output captured: the same code path as the binary, without
// paying a Node start-up per case.
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';

export interface Outcome {
  status: number;
  stdout: string;
  stderr: string;
}

export async function runMain(...args: string[]): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = {
    exitCode: 0,
    out: (text) => { stdout += text.endsWith('\n') ? text : `${text}\n`; },
    err: (text) => { stderr += text.endsWith('\n') ? text : `${text}\n`; },
  };
  const status = await main(['node', 'ganc', ...args], io);
  return { status, stdout, stderr };
}
