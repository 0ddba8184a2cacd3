/**
 * scripts/build-lambdas.ts and the prebuilt bundles it left in dist/lambda-bundles (`npm test` runs it first): small,
 * loadable, without source map unless asked for, current, and byte-for-byte reproducible.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { findPrebuiltBundle, readManifest, staleInputs, type PrebuiltManifest } from '../../lib/function/prebuilt';
import { lambdaEntry, PRODUCT_FUNCTIONS } from '../../lib/lambda-entry';
import { COLD_START_ENV } from '../../scripts/cold-start-env';
import { buildLambdas } from '../../scripts/build-lambdas';
import { readZip } from '../lib/function/helpers';

jest.setTimeout(240_000);

const BUNDLES_DIR = path.resolve(__dirname, '..', '..', 'dist', 'lambda-bundles');
/** The budget for a deployed archive. */
const MAX_ZIP_BYTES = 250 * 1024;

let manifest: PrebuiltManifest;
beforeAll(() => {
  const read = readManifest(BUNDLES_DIR);
  if (!read) throw new Error(`no prebuilt bundles in ${BUNDLES_DIR}: run \`npm run build:lambdas\` (npm test does)`);
  manifest = read;
});

describe('the prebuilt bundles', () => {
  it('cover every product handler', () => {
    // GIVEN the manifest / THEN it lists one bundle per handler, built from its entry
    expect(manifest.bundles.map((b) => b.entry)).toEqual(PRODUCT_FUNCTIONS.map((name) => `lambdas/${name}.ts`));
  });

  it.each(PRODUCT_FUNCTIONS)('%s: is current and its archive stays under 250 KB without a source map', (name) => {
    // GIVEN the handler's bundle
    const bundle = findPrebuiltBundle(lambdaEntry(name))!;
    const zip = fs.readFileSync(path.join(BUNDLES_DIR, bundle.record.archive.file));
    // THEN it was built from the current sources, is small, holds only the code and links no map
    expect(staleInputs(bundle)).toEqual([]);
    expect(zip.length).toBe(bundle.record.archive.sizeBytes);
    expect(zip.length).toBeLessThanOrEqual(MAX_ZIP_BYTES);
    const entries = readZip(zip);
    expect(entries.map((e) => e.name)).toEqual(['index.js']);
    expect(entries[0].data.toString('utf8')).not.toContain('sourceMappingURL');
  });

  it.each(PRODUCT_FUNCTIONS)('%s: ships a second archive with the map linked from the code', (name) => {
    // GIVEN the archive with source map
    const { record } = findPrebuiltBundle(lambdaEntry(name))!;
    const entries = readZip(fs.readFileSync(path.join(BUNDLES_DIR, record.archiveWithSourceMap.file)));
    // THEN the map names the handler's source, relative to the project (no absolute path)
    expect(entries.map((e) => e.name)).toEqual(['index.js', 'index.js.map']);
    expect(entries[0].data.toString('utf8').trimEnd().endsWith('//# sourceMappingURL=index.js.map')).toBe(true);
    const map = JSON.parse(entries[1].data.toString('utf8')) as { sources: string[] };
    expect(map.sources).toContain(`lambdas/${name}.ts`);
    expect(map.sources.filter((s) => path.isAbsolute(s) || s.startsWith('..'))).toEqual([]);
  });

  it('load in a bare Node.js process (no node_modules) and export their handler', async () => {
    // GIVEN each archive's code extracted into an empty directory
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prebuilt-load-'));
    try {
      const files = manifest.bundles.map((b) => {
        const file = path.join(dir, `${b.name}.js`);
        fs.writeFileSync(file, readZip(fs.readFileSync(path.join(BUNDLES_DIR, b.archive.file)))[0].data);
        return file;
      });
      // WHEN required with a deployed function's environment (the entries build their handlers at module load)
      const handlers = `${JSON.stringify(files)}.map((f) => typeof require(f).handler)`;
      const script = `process.stdout.write(JSON.stringify(${handlers}))`;
      const env = { PATH: process.env.PATH, ...COLD_START_ENV };
      const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: dir, env });
      // THEN every bundle is self-contained and exports a handler function
      expect(JSON.parse(stdout)).toEqual(manifest.bundles.map(() => 'function'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('buildLambdas', () => {
  let outDir: string;
  beforeAll(() => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'build-lambdas-'));
  });
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  it('rebuilds a bundle byte for byte, and its manifest record, in another directory', async () => {
    // GIVEN an empty output directory / WHEN the launch gate is built again (one handler keeps the suite fast)
    const [built] = await buildLambdas({ outDir, force: true, functions: ['gates/launch-gate'] });
    // THEN it was built, its archives equal those in dist/lambda-bundles, and so does its manifest record
    expect(built.rebuilt).toBe(true);
    expect(built.record).toEqual(manifest.bundles.find((b) => b.name === 'launch-gate'));
    for (const file of [built.record.archive.file, built.record.archiveWithSourceMap.file]) {
      expect(fs.readFileSync(path.join(outDir, file)).equals(fs.readFileSync(path.join(BUNDLES_DIR, file)))).toBe(true);
    }
  });

  it('keeps a current bundle when run again without --force', async () => {
    // GIVEN the bundle of the previous test / WHEN built again / THEN nothing is rebuilt
    const again = await buildLambdas({ outDir, functions: ['gates/launch-gate'] });
    expect(again.map((b) => b.rebuilt)).toEqual([false]);
  });
});
