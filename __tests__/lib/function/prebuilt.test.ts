/**
 * lib/function/prebuilt.ts: finding the bundle built from an entry, and telling whether a source checkout changed
 * since it was built.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Metafile } from 'esbuild';
import {
  findPrebuiltBundle,
  libraryRoot,
  prebuiltResult,
  recordInputs,
  sha256Hex,
  staleInputs,
} from '../../../lib/function/prebuilt';
import { createFixturePackage, FIXTURE_HANDLER_SOURCE, type FixturePackage } from './support/fixture-package';

let pkg: FixturePackage;
beforeEach(() => {
  pkg = createFixturePackage();
});
afterEach(() => pkg.remove());

describe('findPrebuiltBundle', () => {
  it('finds the bundle whose manifest entry is the given file', () => {
    // GIVEN the fixture package / WHEN its handler's bundle is looked up
    const bundle = findPrebuiltBundle(pkg.entry, pkg.root);
    // THEN the record and the archive directory are returned
    expect(bundle?.record.name).toBe('fn');
    expect(bundle?.dir).toBe(path.join(pkg.root, 'dist', 'lambda-bundles'));
  });

  it('finds nothing for a file outside the package or without a bundle', () => {
    // GIVEN entries the manifest does not list / WHEN looked up / THEN there is no bundle
    expect(findPrebuiltBundle('/elsewhere/lambdas/fn.ts', pkg.root)).toBeUndefined();
    expect(findPrebuiltBundle(path.join(pkg.root, 'lambdas', 'other.ts'), pkg.root)).toBeUndefined();
  });

  it('finds nothing when the package has no manifest', () => {
    // GIVEN the bundles directory removed / WHEN looked up / THEN there is no bundle
    fs.rmSync(path.join(pkg.root, 'dist'), { recursive: true });
    expect(findPrebuiltBundle(pkg.entry, pkg.root)).toBeUndefined();
  });
});

describe('prebuiltResult', () => {
  it('deploys the archive without the source map unless source maps are enabled', () => {
    // GIVEN the fixture bundle
    const bundle = findPrebuiltBundle(pkg.entry, pkg.root)!;
    // WHEN resolved both ways
    const plain = prebuiltResult(bundle, false);
    const mapped = prebuiltResult(bundle, true);
    // THEN each names its archive, with the hashes of the file on disk
    expect(path.basename(plain.zipPath)).toBe('fn.zip');
    expect(path.basename(mapped.zipPath)).toBe('fn.with-source-map.zip');
    expect(plain.zipSha256Hex).toBe(sha256Hex(fs.readFileSync(plain.zipPath)));
    expect(mapped.zipSizeBytes).toBe(fs.statSync(mapped.zipPath).size);
  });
});

describe('staleInputs', () => {
  it('reports nothing while the sources and packages are those of the build', () => {
    // GIVEN an untouched checkout / WHEN checked / THEN the bundle is current
    expect(staleInputs(findPrebuiltBundle(pkg.entry, pkg.root)!)).toEqual([]);
  });

  it('names a changed source file, a changed package version and a deleted file', () => {
    // GIVEN an edited handler and an upgraded dependency
    fs.writeFileSync(pkg.entry, `${FIXTURE_HANDLER_SOURCE}// edited\n`);
    fs.writeFileSync(path.join(pkg.root, 'node_modules/dep/package.json'), JSON.stringify({ version: '1.1.0' }));
    // WHEN checked / THEN both are named
    expect(staleInputs(findPrebuiltBundle(pkg.entry, pkg.root)!)).toEqual([
      'lambdas/fn.ts changed',
      'node_modules/dep is 1.1.0 (built with 1.0.0)',
    ]);
  });

  it('cannot judge an installed package, which ships the bundles but not the sources', () => {
    // GIVEN a package without the handler's source
    const installed = createFixturePackage({ withSources: false });
    try {
      // WHEN checked / THEN there is nothing to compare with
      const bundle = findPrebuiltBundle(installed.entry, installed.root)!;
      expect(staleInputs(bundle)).toBeUndefined();
    } finally {
      installed.remove();
    }
  });
});

describe('recordInputs', () => {
  it('hashes package-relative sources and records package versions once per package', () => {
    // GIVEN a metafile listing the handler and two files of the dependency, plus a build input
    const inputs = { bytes: 1, imports: [] };
    const metafile = {
      inputs: { 'lambdas/fn.ts': inputs, 'node_modules/dep/a.js': inputs, 'node_modules/dep/b.js': inputs },
      outputs: {},
    } as unknown as Metafile;
    // WHEN recorded with the dependency directory as an extra build input
    const recorded = recordInputs(metafile, pkg.root, ['node_modules/dep']);
    // THEN the source is hashed and the package appears once, with its version
    expect(recorded).toEqual({
      sources: { 'lambdas/fn.ts': sha256Hex(FIXTURE_HANDLER_SOURCE) },
      packages: { 'node_modules/dep': '1.0.0' },
    });
  });
});

describe('libraryRoot', () => {
  it('is the repository root for the TypeScript sources', () => {
    // GIVEN lib/function / WHEN the root is looked up / THEN it is the directory holding package.json
    expect(libraryRoot(path.join(__dirname, '..', '..', '..', 'lib', 'function'))).toBe(
      path.resolve(__dirname, '..', '..', '..'),
    );
  });
});
