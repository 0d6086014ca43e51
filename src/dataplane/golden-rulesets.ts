import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder of golden rulesets (src/dataplane/testdata in the repository): the renderer's unit
 * test compares against them and the kernel test loads them into nft. Found by walking up from
 * this module, which runs from dist/, to the repository root (package.json). For tests only.
 */
export function goldenRulesetDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('repository root (package.json) not found above the golden rulesets module');
    dir = parent;
  }
  return resolve(dir, 'src', 'dataplane', 'testdata');
}
