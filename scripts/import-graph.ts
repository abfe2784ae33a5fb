// The import graph between src/'s top-level parts (parser, compiler, runtime, search, cli, ... and each
// top-level file such as errors.ts): how many import statements go from one part to another, value
// imports apart from type-only ones (those vanish from the compiled JavaScript). The layering it guards:
// no cycle between parts, and no value import from runtime into compiler (the runtime reads the
// compiler's IR types, never its code). `npx tsx scripts/import-graph.ts` prints the graph and exits 1
// when either rule is broken.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface FileImport {
  /** Both relative to the src folder, with '/' separators. */
  from: string;
  to: string;
  typeOnly: boolean;
}

export interface PartEdge {
  from: string;
  to: string;
  values: number;
  types: number;
}

export interface ImportGraph {
  edges: PartEdge[];
  /** Each a set of parts that import each other round a loop, through value or type imports. */
  cycles: string[][];
  /** Value imports from runtime into compiler, file by file. */
  runtimeIntoCompiler: FileImport[];
}

const FORBIDDEN_VALUE_IMPORT = { from: 'runtime', to: 'compiler' };

/** The part a path under src belongs to: its top-level folder, or the file itself when it sits at the top. */
export function partOf(pathInSrc: string): string {
  return pathInSrc.split('/')[0];
}

/**
 * The text with comments blanked out, strings and template literals kept: module names are strings,
 * while a commented-out import, or a glob such as 'src/**' read as the start of a comment, must not count.
 */
export function withoutComments(text: string): string {
  let out = '';
  // Inside a template literal's ${...}, the brace depth at which the template resumes.
  const templateResumeDepth: number[] = [];
  let braceDepth = 0;
  let i = 0;
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = text.indexOf('\n', i);
      const stop = end === -1 ? text.length : end;
      out += blank(text.slice(i, stop));
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += blank(text.slice(i, stop));
      i = stop;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (c === '`' || (c === '}' && templateResumeDepth.at(-1) === braceDepth)) {
      if (c === '}') templateResumeDepth.pop();
      let j = i + 1;
      while (j < text.length && text[j] !== '`' && !(text[j] === '$' && text[j + 1] === '{')) j += text[j] === '\\' ? 2 : 1;
      if (text[j] === '$') {
        templateResumeDepth.push(braceDepth);
        j += 1;
      }
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      if (c === '{') braceDepth++;
      if (c === '}') braceDepth--;
      out += c;
      i++;
    }
  }
  return out;
}

/** The module names a file imports (static, re-exports, side-effect, dynamic), and whether only types. */
export function importsOf(code: string): { specifier: string; typeOnly: boolean }[] {
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const text = withoutComments(code);
  const fromClause = /(?:^|[;\n])\s*(import|export)\s+(type\s+)?([^;'"`]*?)\s*from\s*(['"])([^'"\n]+)\4/g;
  for (const m of text.matchAll(fromClause)) {
    const names = m[3].trim();
    // `import { type A, type B } from` is elided from the JavaScript like `import type`.
    const braced = /^\{([\s\S]*)\}$/.exec(names);
    const allTypes = braced !== null && braced[1].split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '));
    found.push({ specifier: m[5], typeOnly: m[2] !== undefined || allTypes });
  }
  for (const m of text.matchAll(/(?:^|[;\n])\s*import\s*(['"])([^'"\n]+)\1/g)) found.push({ specifier: m[2], typeOnly: false });
  for (const m of text.matchAll(/(typeof\s+)?\bimport\s*\(\s*(['"])([^'"\n]+)\2\s*\)/g)) found.push({ specifier: m[3], typeOnly: m[1] !== undefined });
  return found;
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return typeScriptFiles(path);
    return entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every import between files of srcDir; package imports and imports leaving srcDir are left out. */
export function fileImports(srcDir: string): FileImport[] {
  const root = resolve(srcDir);
  const inSrc = (path: string) => relative(root, path).split(sep).join('/');
  return typeScriptFiles(root).flatMap((file) =>
    importsOf(readFileSync(file, 'utf8'))
      .filter(({ specifier }) => specifier.startsWith('.'))
      .map(({ specifier, typeOnly }) => ({ from: inSrc(file), to: inSrc(resolve(dirname(file), specifier)).replace(/\.js$/, '.ts'), typeOnly }))
      .filter(({ to }) => !to.startsWith('../')));
}

/** Strongly connected parts with more than one member (Tarjan's algorithm). */
function cyclesOf(nodes: string[], edges: PartEdge[]): string[][] {
  const successors = new Map(nodes.map((n) => [n, edges.filter((e) => e.from === n).map((e) => e.to)]));
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (n: string) => {
    index.set(n, index.size);
    low.set(n, index.get(n)!);
    stack.push(n);
    for (const m of successors.get(n) ?? []) {
      if (!index.has(m)) {
        visit(m);
        low.set(n, Math.min(low.get(n)!, low.get(m)!));
      } else if (stack.includes(m)) {
        low.set(n, Math.min(low.get(n)!, index.get(m)!));
      }
    }
    if (low.get(n) === index.get(n)) {
      const members: string[] = [];
      let m: string;
      do {
        m = stack.pop()!;
        members.push(m);
      } while (m !== n);
      if (members.length > 1) cycles.push(members.sort());
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return cycles;
}

export function importGraph(srcDir: string): ImportGraph {
  const imports = fileImports(srcDir);
  const byPair = new Map<string, PartEdge>();
  for (const imp of imports) {
    const from = partOf(imp.from);
    const to = partOf(imp.to);
    if (from === to) continue;
    const key = `${from} ${to}`;
    const edge = byPair.get(key) ?? { from, to, values: 0, types: 0 };
    if (imp.typeOnly) edge.types++;
    else edge.values++;
    byPair.set(key, edge);
  }
  const edges = [...byPair.values()].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const nodes = [...new Set(edges.flatMap((e) => [e.from, e.to]))].sort();
  return {
    edges,
    cycles: cyclesOf(nodes, edges),
    runtimeIntoCompiler: imports.filter((imp) => !imp.typeOnly
      && partOf(imp.from) === FORBIDDEN_VALUE_IMPORT.from && partOf(imp.to) === FORBIDDEN_VALUE_IMPORT.to),
  };
}

export function formatImportGraph(graph: ImportGraph): string {
  const width = Math.max(...graph.edges.map((e) => `${e.from} -> ${e.to}`.length));
  const lines = ['imports between the parts of src/ (import statements: value, type-only):'];
  for (const e of graph.edges) lines.push(`  ${`${e.from} -> ${e.to}`.padEnd(width)}  ${String(e.values).padStart(3)} value  ${String(e.types).padStart(3)} type`);
  lines.push(graph.cycles.length === 0 ? 'cycles between parts: none'
    : `cycles between parts: ${graph.cycles.map((c) => c.join(' <-> ')).join('; ')}`);
  const { from, to } = FORBIDDEN_VALUE_IMPORT;
  lines.push(`value imports from ${from} into ${to}: ${graph.runtimeIntoCompiler.length === 0 ? 'none' : graph.runtimeIntoCompiler.length}`);
  for (const imp of graph.runtimeIntoCompiler) lines.push(`  src/${imp.from} -> src/${imp.to}`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const graph = importGraph(join(dirname(fileURLToPath(import.meta.url)), '..', 'src'));
  console.log(formatImportGraph(graph));
  process.exitCode = graph.cycles.length > 0 || graph.runtimeIntoCompiler.length > 0 ? 1 : 0;
}
