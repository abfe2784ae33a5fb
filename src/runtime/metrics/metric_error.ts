/** A quality measure that cannot run (bad weights file, unsupported option): the CLI prints its one-line message. */
export class MetricError extends Error {
  override name = 'MetricError';
}
