// scripts/import-graph.ts: how it reads imports, that it finds a cycle where there is one, and that
// src/ has none.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatImportGraph, importGraph, importsOf } from '../../scripts/import-graph.js';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

function sourceTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'ganc-import-graph-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('importsOf', () => {
  it('tells value imports from type-only ones and ignores commented-out imports', () => {
    const code = [
      "import { a, b } from './values.js';",
      "import type { T } from './types.js';",
      "import { type U, type V } from './only-types.js';",
      "import { type W, x } from './mixed.js';",
      "export { y } from './reexport.js';",
      "export type { Z } from './reexport-types.js';",
      "import './side-effect.js';",
      'import {',
      '  multi,',
      '  line,',
      "} from './multi-line.js';",
      "const glob = 'src/**/*.ts'; // import { no } from './line-comment.js';",
      "/* import { no } from './block-comment.js'; */",
      "const lazy = () => import('./dynamic.js');",
      "type Lazy = typeof import('./typeof.js');",
      'const t = `a ${`b ${1}`} c`;',
      "import { after } from './after-template.js';",
    ].join('\n');
    expect(importsOf(code)).toEqual(expect.arrayContaining([
      { specifier: './values.js', typeOnly: false },
      { specifier: './types.js', typeOnly: true },
      { specifier: './only-types.js', typeOnly: true },
      { specifier: './mixed.js', typeOnly: false },
      { specifier: './reexport.js', typeOnly: false },
      { specifier: './reexport-types.js', typeOnly: true },
      { specifier: './side-effect.js', typeOnly: false },
      { specifier: './multi-line.js', typeOnly: false },
      { specifier: './dynamic.js', typeOnly: false },
      { specifier: './typeof.js', typeOnly: true },
      { specifier: './after-template.js', typeOnly: false },
    ]));
    expect(importsOf(code)).toHaveLength(11);
  });
});

describe('importGraph', () => {
  it('counts imports between parts and finds a cycle through a type-only import', () => {
    const root = sourceTree({
      'a/one.ts': "import { b } from '../b/two.js';\nimport { c } from '../top.js';\n",
      'b/two.ts': "import type { A } from '../a/one.js';\nexport const b = 1;\n",
      'top.ts': 'export const c = 1;\n',
    });
    const graph = importGraph(root);
    expect(graph.edges).toEqual([
      { from: 'a', to: 'b', values: 1, types: 0 },
      { from: 'a', to: 'top.ts', values: 1, types: 0 },
      { from: 'b', to: 'a', values: 0, types: 1 },
    ]);
    expect(graph.cycles).toEqual([['a', 'b']]);
  });

  it('lists value imports from runtime into compiler, not type-only ones', () => {
    const root = sourceTree({
      'runtime/x.ts': "import { lower } from '../compiler/lower.js';\nimport type { IR } from '../ir/ir.js';\n",
      'compiler/lower.ts': 'export const lower = 1;\n',
      'compiler/ir.ts': 'export type IR = number;\n',
    });
    expect(importGraph(root).runtimeIntoCompiler).toEqual([{ from: 'runtime/x.ts', to: 'compiler/lower.ts', typeOnly: false }]);
  });

  it('src/ has no cycle between its parts and the runtime calls no compiler function', () => {
    const graph = importGraph(SRC);
    expect(graph.edges.length).toBeGreaterThan(0);
    expect(graph.cycles, formatImportGraph(graph)).toEqual([]);
    expect(graph.runtimeIntoCompiler, formatImportGraph(graph)).toEqual([]);
  });
});
