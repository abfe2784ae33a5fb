// `ganc check` also looks where a spec's data lives, which the checker itself never does (it reads no
// files, so the search can check variant specs anywhere): a `data folder` must exist and hold images, and
// a `data mnist-idx` folder its training images file; a folder with `labels from-subfolders` must hold its
// images in subfolders, one a class, as many as `latent ... classes K` says. Each problem is a diagnostic at the path, like any
// check error. A folder with fewer images than a batch (or a `fraction` keeping fewer) gets a warning.
// A relative path is relative to the spec file's folder, as when training.
import { dirname, isAbsolute } from 'node:path';
import type { GanIR } from '../ir/ir.js';
import { type DataStatement, type Diagnostic, parse } from '../parser/index.js';
import { UserError } from '../errors.js';

export interface DataCheck {
  diagnostics: Diagnostic[];
  /** One line each, for stderr; not errors. */
  warnings: string[];
}

/** `ir`: the checked IR when the spec has no other error (the batch warnings need its batch and fraction). */
export async function checkDataPath(text: string, file: string, ir: GanIR | undefined): Promise<DataCheck> {
  const statement = parse(text, file).ast.statements.find((s): s is DataStatement => s.kind === 'Data');
  const kind = statement?.source.name;
  if (!statement?.path || statement.path.value === '' || (kind !== 'folder' && kind !== 'mnist-idx')) {
    return { diagnostics: [], warnings: [] };
  }
  const { path } = statement;
  // The data modules (and sharp) load only for specs that read files.
  const { dataFolderPath, batchWarning } = await import('../runtime/data/dataset.js');
  const dir = dataFolderPath(path.value, dirname(file));
  try {
    if (kind === 'mnist-idx') {
      const { findIdxImages } = await import('../runtime/data/mnist-idx.js');
      findIdxImages(dir, path.value);
      return { diagnostics: [], warnings: [] };
    }
    const { folderImageCount, folderClasses } = await import('../runtime/data/folder.js');
    const count = folderImageCount(dir, path.value);
    if (statement.options.some((o) => o.kind === 'Option' && o.name === 'labels')) {
      const { checkDataClasses } = await import('../runtime/data/dataset.js');
      const classes = folderClasses(dir, path.value);
      if (ir) checkDataClasses(ir.data, ir.latent.classes, { classes });
    }
    const warning = ir && batchWarning(`data folder "${path.value}"`, count, ir.data);
    return { diagnostics: [], warnings: warning ? [`${file}: ${warning}`] : [] };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const hint = !isAbsolute(path.value) && / not found /.test(error.message) ? "; a relative path starts at the spec file's folder" : '';
    return { diagnostics: [{ file, line: path.loc.line, col: path.loc.col, message: `${error.message}${hint}` }], warnings: [] };
  }
}
