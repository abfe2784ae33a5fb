// Deferred native kernels (native.setDeferred, the ganc backend's native route) run after their call has
// returned, so the JavaScript arrays they read must outlive every reference JavaScript holds: the addon keeps
// its own until the kernel has run. Here the inputs are garbage as soon as each call returns, the kernels wait
// behind a slow product while full collections run and new arrays take the freed memory (test/helpers/deferred-gc.ts);
// without the addon's references they read those arrays' values instead. Results in call order after join() are
// covered by native-arguments.test.ts, bit-identical training by test/runtime/training/determinism.test.ts.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { loadNativeKernels } from '../../../src/runtime/kernels/native.js';

const native = 'kernels' in loadNativeKernels();

it.skipIf(!native)('a deferred kernel reads its inputs even when JavaScript dropped them and collected garbage', () => {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const script = join(import.meta.dirname, '../../helpers/deferred-gc.ts');
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', tsx, script], { encoding: 'utf8', env: { ...process.env, GANC_THREADS: '2' } });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout.trim()).toBe('ok');
}, 60_000);
