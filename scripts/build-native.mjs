// Builds ganc's native kernels (native/) with node-gyp at `npm install`. A failed build must not fail
// the install: ganc then runs on its portable kernels, so this prints one line and exits 0.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const nativeDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'native');

/** node-gyp as npm runs it, else npm's bundled copy next to this node, else whatever is on PATH. */
function nodeGypCommand() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const script = candidates.find((path) => path && existsSync(path));
  return script ? [process.execPath, script] : ['node-gyp'];
}

/** Node's own headers when this node was installed with them, so node-gyp need not download them. */
function nodeDirArgs() {
  const prefix = dirname(dirname(process.execPath));
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${prefix}`] : [];
}

const [command, ...args] = nodeGypCommand();
const result = spawnSync(command, [...args, 'rebuild', ...nodeDirArgs()], {
  cwd: nativeDir,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'pipe'],
});
if (result.status === 0) {
  console.log('ganc: native kernels built (native/build/Release/ganc_native.node)');
} else {
  // The compiler's first error says most; failing that, node-gyp's own.
  const lines = `${result.stderr ?? ''}\n${result.stdout ?? ''}`.split('\n');
  const reason =
    result.error?.message ?? lines.find((line) => /\berror:/i.test(line)) ?? lines.find((line) => line.includes('ERR!')) ?? `exit code ${result.status}`;
  console.log(`ganc: native kernels not built (${reason.trim()}); the portable kernels will be used`);
}
