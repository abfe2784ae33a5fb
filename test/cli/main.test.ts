// main() in-process: what it returns when a command fails in a way nobody planned for.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';

function capture(): CliIO & { errors: string[] } {
  const errors: string[] = [];
  return {
    errors,
    exitCode: 0,
    out: () => { throw new Error('stdout closed'); },
    err: (text) => errors.push(text),
  };
}

describe('main', () => {
  it('turns an unexpected exception into one line and exit code 2', async () => {
    const io = capture();
    expect(await main(['node', 'ganc', 'check', 'specs/ring8.gan'], io)).toBe(2);
    expect(io.errors).toEqual(['internal error: stdout closed']);
  });

  it('returns 0 for a clean spec', async () => {
    const out: string[] = [];
    const io: CliIO = { exitCode: 0, out: (t) => out.push(t), err: () => {} };
    expect(await main(['node', 'ganc', 'check', 'specs/ring8.gan'], io)).toBe(0);
    expect(out).toEqual(['specs/ring8.gan: ok']);
  });
});
