// What a training run writes and shows: the run folder, metrics log, sample pictures, checkpoints,
// report page and progress display.
export { createRunDir, formatRunTimestamp, RunDirError, SPEC_FILE, IR_FILE, METRICS_FILE, REPORT_FILE, SAMPLES_DIR, CHECKPOINTS_DIR } from './run-dir.js';
export type { RunDirInitialFiles, CreateRunDirOptions } from './run-dir.js';
export { MetricsLog, readMetrics, truncateMetricsAfterStep, MetricsLogError } from './metrics-log.js';
export type { MetricsEntry, MetricsInput, Scalars } from './metrics-log.js';
export { writeSampleGrid, SampleGridError } from './sample-grid.js';
export type { SampleGridOptions } from './sample-grid.js';
export { saveCheckpoint, loadLatestCheckpoint, loadCheckpoint, listCheckpoints, checkpointFileName, CheckpointError } from './checkpoint.js';
export type { CheckpointContents, CheckpointState, LoadedCheckpoint, SaveCheckpointOptions, JsonValue } from './checkpoint.js';
export { writeReport, ReportError } from './report.js';
export { createProgress } from './progress.js';
export type { ProgressOptions, TrainingProgress } from './progress.js';
