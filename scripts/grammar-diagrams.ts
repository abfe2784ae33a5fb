// The syntax diagrams page, generated from the parser itself (Chevrotain's serialized grammar).
import { createSyntaxDiagramsCode } from '../src/parser/chevrotain.js';
import { parser } from '../src/parser/parser.js';

export const DIAGRAMS_PATH = new URL('../grammar/diagrams.html', import.meta.url);

export function grammarDiagramsHtml(): string {
  return createSyntaxDiagramsCode(parser.getSerializedGastProductions());
}
