// The one user error of `ganc compare`: a bad option, --set grid, spec list, run directory or compare
// directory. Its message names the option or path; the CLI prints it on one line and exits 1.
import { UserError } from '../errors.js';

export class CompareError extends UserError {}
