// `npm run golden:update`: rewrites test/golden/*.ir.json from the specs. Review the diff before committing.
import { writeFileSync } from 'node:fs';
import { compileSpec, goldenPath, goldenText, specFiles } from './golden-specs.js';

let failed = false;
for (const spec of specFiles()) {
  const { ir, messages } = compileSpec(spec);
  if (!ir) {
    console.error(messages.join('\n'));
    failed = true;
    continue;
  }
  writeFileSync(goldenPath(spec), goldenText(ir));
  console.log(`wrote ${goldenPath(spec)}`);
}
process.exitCode = failed ? 1 : 0;
