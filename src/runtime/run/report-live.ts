// report.html while training runs: written when training starts, then refreshed at log and eval steps,
// but only as often as keeps the time spent writing it within REPORT_TIME_BUDGET of the training time
// (a refresh costs about as long as the page takes to build; it is skipped until training has run
// long enough to pay for it), and, past the first minute, at most every MIN_REFRESH_INTERVAL_MS: the page
// reloads itself every 30 s, and a long run rewriting a 1 MB page every second would only wear the disk.
// The page is replaced atomically, so a browser never reads half of it.
import { writeReport, type ReportOptions, type ReportStatus } from './report.js';

/**
 * Share of wall time the refreshes aim at: 1.5%, so that they stay under 2% although each is planned on
 * the previous one's cost and a page grows with the run (a refresh costs more than the one before).
 */
export const REPORT_TIME_BUDGET = 0.015;
/** A refresh is planned as this many times the previous one's cost. */
const COST_MARGIN = 1.5;
/** The longest wait between refreshes the interval rule imposes (it is half the time elapsed until then). */
export const MIN_REFRESH_INTERVAL_MS = 10_000;

export interface LiveReportStats {
  /** Refreshes during training (not the first and last pages). */
  refreshes: number;
  /** Milliseconds those refreshes took in all. */
  refreshMs: number;
  /** Milliseconds of every write, the first and the last included. */
  writes: number[];
}

export interface LiveReportOptions {
  /** Initial smoothing of the page's slider. */
  smoothing?: number;
  /** Share of wall time refreshes may take (default REPORT_TIME_BUDGET). */
  budget?: number;
  /** Longest interval the interval rule asks between refreshes (default MIN_REFRESH_INTERVAL_MS; 0: none). */
  minInterval?: number;
  /** Milliseconds clock; tests pass a fake one. */
  now?: () => number;
  /** Writes the page (default writeReport); tests pass a fake one. */
  write?: (runDir: string, options: ReportOptions) => Promise<unknown>;
}

export class LiveReport {
  private readonly startedAt: number;
  private readonly budget: number;
  private readonly minInterval: number;
  private lastWriteAt: number;
  private readonly now: () => number;
  private readonly writePage: (runDir: string, options: ReportOptions) => Promise<unknown>;
  private refreshMs = 0;
  private refreshes = 0;
  private lastCost = 0;
  private readonly writes: number[] = [];

  constructor(
    private readonly runDir: string,
    private readonly options: LiveReportOptions = {},
  ) {
    this.budget = options.budget ?? REPORT_TIME_BUDGET;
    this.minInterval = options.minInterval ?? MIN_REFRESH_INTERVAL_MS;
    this.now = options.now ?? (() => performance.now());
    this.writePage = options.write ?? writeReport;
    this.startedAt = this.now();
    this.lastWriteAt = this.startedAt;
  }

  /** Writes the page now, whatever the budget: at the start and the end of training. */
  async write(status: ReportStatus): Promise<void> {
    this.lastCost = await this.timed(status);
  }

  /**
   * Writes the page if the budget allows and, unless `news` (new quality numbers), the interval since the
   * last write is at least half the time elapsed or MIN_REFRESH_INTERVAL_MS; true if it wrote.
   */
  async refresh(status: ReportStatus, news = false): Promise<boolean> {
    const now = this.now();
    const elapsed = now - this.startedAt;
    if (this.refreshMs + COST_MARGIN * this.lastCost > this.budget * elapsed) return false;
    if (!news && now - this.lastWriteAt < Math.min(this.minInterval, elapsed / 2)) return false;
    this.lastCost = await this.timed(status);
    this.refreshMs += this.lastCost;
    this.refreshes++;
    return true;
  }

  stats(): LiveReportStats {
    return { refreshes: this.refreshes, refreshMs: this.refreshMs, writes: [...this.writes] };
  }

  private async timed(status: ReportStatus): Promise<number> {
    const started = this.now();
    await this.writePage(this.runDir, { status, ...(this.options.smoothing !== undefined ? { smoothing: this.options.smoothing } : {}) });
    this.lastWriteAt = this.now();
    const cost = this.lastWriteAt - started;
    this.writes.push(cost);
    return cost;
  }
}
