import { UserError } from '../../errors.js';

/** A quality measure that cannot run (bad weights file, unsupported option): the CLI prints its one-line message. */
export class MetricError extends UserError {
  override name = 'MetricError';
}
