/**
 * A throw-away package with one handler, one npm dependency and a prebuilt bundle + manifest, as `npm run
 * build:lambdas` would leave it — for tests of the prebuilt-bundle lookup and its freshness check.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createDeterministicZip } from '../../../../lib/function/deterministic-zip';
import {
  archiveRecord,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  PREBUILT_BUNDLES_DIR,
  sha256Hex,
  type PrebuiltBundleRecord,
  type PrebuiltManifest,
} from '../../../../lib/function/prebuilt';

export const FIXTURE_ENTRY = 'lambdas/fn.ts';
export const FIXTURE_HANDLER_SOURCE = 'export const handler = async () => "built from source";\n';
const PREBUILT_CODE = '"use strict";exports.handler=async()=>"prebuilt";\n';

export interface FixturePackage {
  readonly root: string;
  readonly entry: string;
  readonly record: PrebuiltBundleRecord;
  remove(): void;
}

/** Creates the package in a temp directory; `withSources: false` leaves out the handler (an installed package). */
export function createFixturePackage(options: { withSources?: boolean } = {}): FixturePackage {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prebuilt-fixture-'));
  const write = (file: string, content: string | Buffer): void => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  };
  write('package.json', JSON.stringify({ name: 'fixture', version: '1.0.0' }));
  write('node_modules/dep/package.json', JSON.stringify({ name: 'dep', version: '1.0.0' }));
  if (options.withSources ?? true) write(FIXTURE_ENTRY, FIXTURE_HANDLER_SOURCE);
  const zip = createDeterministicZip([{ name: 'index.js', data: Buffer.from(PREBUILT_CODE) }]);
  const withMap = createDeterministicZip([
    { name: 'index.js', data: Buffer.from(`${PREBUILT_CODE}//# sourceMappingURL=index.js.map\n`) },
    { name: 'index.js.map', data: Buffer.from('{"version":3,"sources":["lambdas/fn.ts"],"mappings":""}') },
  ]);
  const record: PrebuiltBundleRecord = {
    name: 'fn',
    entry: FIXTURE_ENTRY,
    archive: archiveRecord('fn.zip', zip),
    archiveWithSourceMap: archiveRecord('fn.with-source-map.zip', withMap),
    codeSizeBytes: PREBUILT_CODE.length,
    sources: { [FIXTURE_ENTRY]: sha256Hex(FIXTURE_HANDLER_SOURCE) },
    packages: { 'node_modules/dep': '1.0.0' },
  };
  const manifest: PrebuiltManifest = { format: MANIFEST_FORMAT, bundles: [record] };
  write(path.join(PREBUILT_BUNDLES_DIR, 'fn.zip'), zip);
  write(path.join(PREBUILT_BUNDLES_DIR, 'fn.with-source-map.zip'), withMap);
  write(path.join(PREBUILT_BUNDLES_DIR, MANIFEST_FILE), JSON.stringify(manifest));
  return {
    root,
    entry: path.join(root, FIXTURE_ENTRY),
    record,
    remove: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
