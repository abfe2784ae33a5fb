// An export the user can fix: an option the run cannot satisfy, or an --out folder that cannot be written.
import { UserError } from '../../errors.js';

export class ExportError extends UserError {}
