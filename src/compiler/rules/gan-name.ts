// `gan NAME`; without it the spec is named after its file.
import { basename, extname } from 'node:path';
import type { GanStatement } from '../../parser/ast.js';

export function ganName(statement: GanStatement | undefined, file: string): string {
  if (statement) return statement.name.name;
  return basename(file, extname(file));
}
