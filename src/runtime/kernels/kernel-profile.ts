// Per-kernel timing on the ganc backend: calls, milliseconds and FLOPs per kernel name, for benchmarks
// and for finding the next kernel worth making fast. Off by default; when off a kernel call pays one
// boolean test. While it is enabled each native kernel is waited for (they otherwise return before they have
// run), so wall time around the call is its cost.
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { kernelFlops } from './kernel-flops.js';

export interface KernelStat {
  kernel: string;
  calls: number;
  ms: number;
  flops: number;
  /** flops / ms / 1e6; 0 when no time was measured. */
  gflops: number;
}

const stats = new Map<string, { calls: number; ms: number; flops: number }>();
let enabled = false;

function record(kernel: string, ms: number, flops: number): void {
  const stat = stats.get(kernel) ?? { calls: 0, ms: 0, flops: 0 };
  stat.calls += 1;
  stat.ms += ms;
  stat.flops += flops;
  stats.set(kernel, stat);
}

export const kernelProfile = {
  enable(): void {
    enabled = true;
  },
  disable(): void {
    enabled = false;
  },
  reset(): void {
    stats.clear();
  },
  /** Kernels by total time, most expensive first. */
  report(): KernelStat[] {
    return [...stats.entries()]
      .map(([kernel, s]) => ({ kernel, ...s, gflops: s.ms > 0 ? s.flops / s.ms / 1e6 : 0 }))
      .sort((a, b) => b.ms - a.ms);
  },
  /** report() as an aligned text table with each kernel's share of the total time. */
  format(): string {
    const rows = kernelProfile.report();
    const total = rows.reduce((sum, row) => sum + row.ms, 0);
    const lines = rows.map(
      (r) =>
        `${r.kernel.padEnd(24)} ${String(r.calls).padStart(7)} ${r.ms.toFixed(2).padStart(10)} ` +
        `${((100 * r.ms) / (total || 1)).toFixed(1).padStart(6)}% ${r.gflops.toFixed(2).padStart(9)}`,
    );
    return [`${'kernel'.padEnd(24)} ${'calls'.padStart(7)} ${'ms'.padStart(10)} ${'share'.padStart(7)} ${'GFLOP/s'.padStart(9)}`, ...lines].join('\n');
  },
};

/**
 * kernelFunc with timing that records under kernelName while the profile is enabled; `join` waits for a
 * native kernel that returns before it has run (the ganc backend's native route), so that its time is its own.
 */
export function profiled(kernelName: string, kernelFunc: KernelFunc, join: () => void = () => {}): KernelFunc {
  return (args) => {
    if (!enabled) return kernelFunc(args);
    const start = performance.now();
    const result = kernelFunc(args);
    join();
    const ms = performance.now() - start;
    const outputs: TensorInfo[] = Array.isArray(result) ? result : [result];
    record(kernelName, ms, kernelFlops(kernelName, args as Parameters<typeof kernelFlops>[1], outputs));
    return result;
  };
}
