// `npm run grammar`: regenerates grammar/diagrams.html from the parser. A test fails until this is run
// after a grammar change.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DIAGRAMS_PATH, grammarDiagramsHtml } from './grammar-diagrams.js';

writeFileSync(DIAGRAMS_PATH, grammarDiagramsHtml());
console.log(`wrote ${fileURLToPath(DIAGRAMS_PATH)}`);
