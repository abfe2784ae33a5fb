// How much input the parser takes, in a module of its own so that the CLI can refuse an oversized spec
// file before reading it without loading the parser.

/**
 * A spec is a page (the ones in specs/ are under 1 KB); a larger text is refused before lexing, so a
 * megabyte of anything costs nothing. The CLI refuses a larger file before reading it (cli/io.ts).
 */
export const MAX_SOURCE_CHARS = 128 * 1024;
/** `let`s in one spec: each is a constant the checker resolves and the IR carries. */
export const MAX_LETS = 1000;
