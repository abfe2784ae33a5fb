// `ganc info [--json]`: what this machine offers ganc: its version, the CPU kernel route, and the GPU
// adapter `--backend webgpu` would train on (vendor, architecture, device, software or not), or why there
// is none. A software adapter (Mesa's lavapipe) is a CPU pretending to be a GPU: correct, slow.
import type { Command } from 'commander';
import type { CliCommand } from '../command.js';
import type { CliIO } from '../io.js';
import { UserError } from '../../errors.js';
import { gancVersion } from '../../version.js';

export const command: CliCommand = {
  register(program: Command, io: CliIO) {
    program.command('info')
      .description('what ganc can compute on here: CPU kernels and the GPU adapter of --backend webgpu')
      .option('--json', 'one JSON object')
      .action(async (options: { json?: boolean }) => {
        const [{ loadNativeKernels }, webgpu] = await Promise.all([
          import('../../runtime/kernels/native.js'),
          import('../../runtime/webgpu.js'),
        ]);
        const native = loadNativeKernels();
        const kernels = 'kernels' in native
          ? { route: 'native', blas: native.kernels.blas(), threads: native.kernels.threads() }
          : { route: 'portable', reason: native.error };
        let adapter: Awaited<ReturnType<typeof webgpu.registerWebgpuBackend>> | null = null;
        let unavailable: string | null = null;
        try {
          adapter = await webgpu.registerWebgpuBackend();
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          unavailable = e.message;
        }
        if (options.json) {
          io.out(JSON.stringify({ ganc: gancVersion(), kernels, webgpu: adapter ?? { unavailable } }));
          return;
        }
        io.out(`ganc ${gancVersion()}`);
        io.out(`cpu kernels (--backend ganc): ${kernels.route === 'native' ? `native, ${kernels.blas}, ${kernels.threads} threads` : `portable (${kernels.reason})`}`);
        if (!adapter) {
          io.out(`webgpu: unavailable: ${unavailable}`);
          return;
        }
        io.out(`webgpu adapter: ${webgpu.describeAdapter(adapter)}`);
        io.out(`  vendor ${adapter.vendor || '-'}, architecture ${adapter.architecture || '-'}, device ${adapter.device || '-'}, software ${adapter.software ? 'yes' : 'no'}`);
        if (adapter.software) io.out('  warning: a software adapter runs on the CPU; --backend ganc is faster here');
      });
  },
};
