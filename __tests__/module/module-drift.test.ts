/**
 * Drift check: rebuilding the module (real esbuild bundles) and its README reference into a temporary directory gives
 * files byte-identical to the committed terraform-module/. CI runs the same check with scripts/check-module-drift.sh.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildModule, diffModules, listFiles, MODULE_DIR } from '../../scripts/build-module';

jest.setTimeout(180_000);

test('terraform-module/ is what npm run build:module produces (run it and commit the result if this fails)', () => {
  // GIVEN a temporary directory holding the committed README (its hand-written part)
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'module-drift-'));
  try {
    fs.copyFileSync(path.join(MODULE_DIR, 'README.md'), path.join(tmp, 'README.md'));
    // WHEN the module is rebuilt there
    buildModule(tmp);
    // THEN every file is byte-identical to the committed one
    expect(listFiles(tmp)).toEqual(listFiles(MODULE_DIR));
    expect(diffModules(MODULE_DIR, tmp)).toEqual([]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
