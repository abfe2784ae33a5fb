// Text tables of train-bench results: one row per configuration, then where each ganc iteration's time goes.
import type { ChildOutcome } from './child-run.js';
import type { TrainRunResult } from './train-one.js';

/** The kernels that carry the FLOPs, with their column names. */
export const HOT_KERNELS: Record<string, string[]> = {
  matMul: ['BatchMatMul', '_FusedMatMul'],
  conv: ['Conv2D', 'FusedConv2D'],
  'conv dx': ['Conv2DBackpropInput'],
  'conv dW': ['Conv2DBackpropFilter'],
};

export interface ConfigurationOutcome {
  spec: string;
  backend: string;
  outcome: ChildOutcome<TrainRunResult>;
}

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

/** GFLOP/s of a group of kernels over the profiled iterations, or '' when none ran. */
export function groupGflops(result: TrainRunResult, kernels: string[]): string {
  const stats = result.profile?.kernels.filter((k) => kernels.includes(k.kernel)) ?? [];
  const ms = stats.reduce((s, k) => s + k.ms, 0);
  const flops = stats.reduce((s, k) => s + k.flops, 0);
  return ms > 0 ? fixed(flops / ms / 1e6) : '';
}

/** The backend's name, with its adapter for webgpu (a software one says so). */
function backendLabel(backend: string, r: TrainRunResult): string {
  const adapter = r.backend_info.adapter as { vendor: string; device: string; description: string; software: boolean } | undefined;
  if (!adapter) return backend;
  return `${backend} (${[adapter.vendor, adapter.description || adapter.device].filter(Boolean).join(' ')}${adapter.software ? ', software' : ''})`;
}

export function summaryTable(outcomes: ConfigurationOutcome[]): string {
  const header = ['spec', 'backend', 'steps', 'median ms', 'best ms', 'CPU ms', ...Object.keys(HOT_KERNELS).map((k) => `${k} GF/s`), 'in kernels', 'peak RSS MB'];
  const rows = outcomes.map(({ spec, backend, outcome }) => {
    if (!outcome.ok) return [spec, backend, '', 'failed', '', '', ...Object.keys(HOT_KERNELS).map(() => ''), '', outcome.error.slice(0, 60)];
    const r = outcome.result;
    const share = r.profile ? `${fixed((100 * r.profile.kernel_ms) / r.profile.iteration_ms, 0)}%` : '';
    return [spec, backendLabel(backend, r), String(r.steps), fixed(r.ms.median), fixed(r.ms.best), fixed(r.cpu_ms.median),
      ...Object.values(HOT_KERNELS).map((kernels) => groupGflops(r, kernels)), share, fixed(r.peak_rss_mb, 0)];
  });
  return formatTable(header, rows);
}

/** Per-kernel ms per iteration for one profiled run: the top `limit` kernels, the rest, and time outside kernels. */
export function breakdownTable(result: TrainRunResult, limit = 12): string {
  const profile = result.profile!;
  const share = (ms: number) => `${fixed((100 * ms) / profile.iteration_ms)}%`;
  const top = profile.kernels.slice(0, limit);
  const rest = profile.kernels.slice(limit);
  const hot = new Set(Object.values(HOT_KERNELS).flat());
  const rows = top.map((k) => [k.kernel, fixed(k.calls, 0), fixed(k.ms, 2), share(k.ms), hot.has(k.kernel) ? fixed(k.gflops) : '']);
  const restMs = rest.reduce((s, k) => s + k.ms, 0);
  rows.push([`${rest.length} other kernels`, fixed(rest.reduce((s, k) => s + k.calls, 0), 0), fixed(restMs, 2), share(restMs), '']);
  const outside = profile.iteration_ms - profile.kernel_ms;
  rows.push(['outside kernels (JS)', '', fixed(outside, 2), share(outside), '']);
  rows.push(['iteration (profiled)', fixed(profile.kernels.reduce((s, k) => s + k.calls, 0), 0), fixed(profile.iteration_ms, 2), '100.0%', '']);
  return formatTable(['kernel', 'calls', 'ms/iter', 'share', 'GFLOP/s'], rows);
}
