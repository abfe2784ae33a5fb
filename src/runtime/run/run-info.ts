// run.json: what ran a run, so that its numbers can be traced and reproduced: ganc's version and commit,
// the command line, the backend and ganc's kernel route, the thread count, Node and the host. Written when
// the run directory is made; each `--resume` adds an entry to `resumes` (results may differ across thread
// counts and routes, so a resumed run says what each part ran on).
import { existsSync, readFileSync } from 'node:fs';
import { arch, cpus, hostname, platform } from 'node:os';
import { join } from 'node:path';
import { gancBuild, type GancBuild } from '../../version.js';
import type { BackendInfo } from '../backend.js';
import type { AdapterInfo } from '../webgpu.js';
import { loadNativeKernels } from '../kernels/native.js';
import { writeFileAtomic } from './atomic-write.js';
import { RUN_INFO_FILE } from './run-dir.js';

export interface Invocation {
  /** When training started (ISO 8601, UTC). */
  started: string;
  /** The command line as typed (`ganc train ...`), or the process's argv when not from ganc's CLI. */
  command: string[];
  cwd: string;
  ganc: GancBuild;
  /** The tfjs backend: ganc, cpu, wasm, tensorflow... */
  backend: string;
  /** With backend ganc: its kernel route (native or portable) and who does the matMul. */
  kernels: { route: 'native' | 'portable'; blas: string } | null;
  /** With backend webgpu: the adapter (vendor, architecture, device, description, software or not). */
  adapter?: AdapterInfo;
  /** Threads the kernels use: the native addon's pool; 1 for tfjs's cpu and wasm kernels (none under Node); null if unknown. */
  threads: number | null;
  /** The GANC_THREADS environment variable as set, or null. */
  GANC_THREADS: string | null;
  node: string;
  host: { name: string; platform: string; arch: string; cpus: number; cpu: string };
  /** Iterations this invocation trains to; on a resume, the step it started from too. */
  steps: number;
  fromStep?: number;
}

export interface RunInfo extends Partial<Invocation> {
  resumes: Invocation[];
}

export function describeInvocation(backend: BackendInfo, command: string[] | undefined, steps: number, fromStep?: number): Invocation {
  const cpuList = cpus();
  return {
    started: new Date().toISOString(),
    command: command ?? process.argv,
    cwd: process.cwd(),
    ganc: gancBuild(),
    backend: backend.name,
    kernels: backend.kernels ? { route: backend.kernels.route, blas: backend.kernels.blas } : null,
    ...(backend.adapter ? { adapter: backend.adapter } : {}),
    threads: threadCount(backend),
    GANC_THREADS: process.env.GANC_THREADS ?? null,
    node: process.version,
    host: { name: hostname(), platform: platform(), arch: arch(), cpus: cpuList.length, cpu: cpuList[0]?.model.trim() ?? 'unknown' },
    steps,
    ...(fromStep !== undefined ? { fromStep } : {}),
  };
}

function threadCount(backend: BackendInfo): number | null {
  if (backend.kernels?.route === 'native') {
    const native = loadNativeKernels();
    return 'kernels' in native ? native.kernels.threads() : null;
  }
  return backend.name === 'ganc' || backend.name === 'cpu' || backend.name === 'wasm' ? 1 : null;
}

export function runInfoFor(first: Invocation): RunInfo {
  return { ...first, resumes: [] };
}

/** Adds a resume to run.json; a run made before run.json existed gets one holding only its resumes. */
export function recordResume(runDir: string, resume: Invocation): void {
  const path = join(runDir, RUN_INFO_FILE);
  const info = readRunInfo(runDir) ?? { resumes: [] };
  info.resumes = [...(Array.isArray(info.resumes) ? info.resumes : []), resume];
  writeFileAtomic(path, `${JSON.stringify(info, null, 2)}\n`);
}

/** run.json, or null when the run has none or it is not a JSON object (reports show what they can). */
export function readRunInfo(runDir: string): RunInfo | null {
  const path = join(runDir, RUN_INFO_FILE);
  if (!existsSync(path)) return null;
  try {
    const value: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RunInfo) : null;
  } catch {
    return null;
  }
}
