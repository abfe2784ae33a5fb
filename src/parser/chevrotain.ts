// Chevrotain, loaded fast. The package's entry point pulls in ~700 small ES modules (lodash-es), which
// takes 1-3 s here, longer than all of `ganc check`; the single-file bundle that ships in the same
// package loads in ~0.2 s. The package's exports map does not list the bundle, so it is found by path,
// falling back to the entry point if a later version moves it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

type Chevrotain = typeof import('chevrotain');

const entryPoint = createRequire(import.meta.url).resolve('chevrotain');
const bundle = join(dirname(entryPoint), '..', 'chevrotain.mjs');
const chevrotain: Chevrotain = existsSync(bundle) ? await import(pathToFileURL(bundle).href) : await import('chevrotain');

export const { createToken, createTokenInstance, createSyntaxDiagramsCode, CstParser, EOF, Lexer, tokenMatcher } = chevrotain;
export type {
  CstElement, CstNode, IParserErrorMessageProvider, IToken, TokenType,
} from 'chevrotain';
