/**
 * The prebuilt Lambda bundles shipped in the package (`dist/lambda-bundles/`, built once by `npm run build:lambdas`
 * at pack time) and their manifest: which entry each bundle was built from, its archives and hashes, and what it was
 * built from — the package-relative source files (by SHA-256) and the npm packages (by version) — so that a source
 * checkout can tell whether a bundle is still current. An installed package ships no sources: there the bundles are
 * the code, by definition current.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { Metafile } from 'esbuild';
import type { BundleResult } from './bundler';

/** Directory of the prebuilt bundles, relative to the package root. */
export const PREBUILT_BUNDLES_DIR = path.join('dist', 'lambda-bundles');
/** The manifest inside {@link PREBUILT_BUNDLES_DIR}. */
export const MANIFEST_FILE = 'manifest.json';
/** Bumped when the manifest's shape changes; a manifest of another format is ignored (as if absent). */
export const MANIFEST_FORMAT = 1;

/** One archive of a prebuilt bundle. */
export interface PrebuiltArchive {
  /** File name inside {@link PREBUILT_BUNDLES_DIR}. */
  readonly file: string;
  readonly sha256Hex: string;
  /** Terraform's `filebase64sha256()` format, Lambda's `CodeSha256`. */
  readonly sha256Base64: string;
  readonly sizeBytes: number;
}

/** What the manifest records per bundle. */
export interface PrebuiltBundleRecord {
  /** Bundle name, e.g. `launch-gate`. */
  readonly name: string;
  /** Package-relative, `/`-separated entry it was built from, e.g. `lambdas/gates/launch-gate.ts`. */
  readonly entry: string;
  /** The deployed archive by default: `index.js` only. */
  readonly archive: PrebuiltArchive;
  /** The archive with `index.js.map` (and the code linking it), for `sourceMap: true`. */
  readonly archiveWithSourceMap: PrebuiltArchive;
  /** Size of `index.js` in bytes. */
  readonly codeSizeBytes: number;
  /**
   * Package-relative source files → SHA-256 (hex) of their content when the bundle was built: the handler's modules
   * and the build's own code (esbuild settings, transforms, ZIP writer).
   */
  readonly sources: Readonly<Record<string, string>>;
  /** Package-relative npm package directories → their version when the bundle was built (esbuild included). */
  readonly packages: Readonly<Record<string, string>>;
}

/** `dist/lambda-bundles/manifest.json`. */
export interface PrebuiltManifest {
  readonly format: number;
  readonly bundles: readonly PrebuiltBundleRecord[];
}

/** A prebuilt bundle found for an entry. */
export interface PrebuiltBundle {
  readonly record: PrebuiltBundleRecord;
  /** Absolute directory of the archives. */
  readonly dir: string;
  /** Package root the record's paths are relative to. */
  readonly packageRoot: string;
}

/**
 * Root of the package this library was loaded from: the nearest ancestor of `fromDir` holding a package.json. The same
 * for the TypeScript sources (`lib/function/`) and the compiled library (`dist/lib/function/`).
 */
export function libraryRoot(fromDir: string = __dirname): string {
  let dir = path.resolve(fromDir);
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fromDir}`);
    dir = parent;
  }
  return dir;
}

/** Reads the manifest in `dir`; undefined when absent or of another format. */
export function readManifest(dir: string): PrebuiltManifest | undefined {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) return undefined;
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as PrebuiltManifest;
  return manifest.format === MANIFEST_FORMAT ? manifest : undefined;
}

/** The prebuilt bundle built from `entry` (an absolute path inside `packageRoot`), if the package ships one. */
export function findPrebuiltBundle(entry: string, packageRoot: string = libraryRoot()): PrebuiltBundle | undefined {
  const relative = toPosix(path.relative(packageRoot, path.resolve(entry)));
  if (relative.startsWith('../') || path.isAbsolute(relative)) return undefined;
  const dir = path.join(packageRoot, PREBUILT_BUNDLES_DIR);
  const record = readManifest(dir)?.bundles.find((bundle) => bundle.entry === relative);
  return record ? { record, dir, packageRoot } : undefined;
}

/** The bundle as a {@link BundleResult} (no copy: the archive is deployed from the package). */
export function prebuiltResult(bundle: PrebuiltBundle, sourceMap: boolean): BundleResult {
  const archive = sourceMap ? bundle.record.archiveWithSourceMap : bundle.record.archive;
  return {
    zipPath: path.join(bundle.dir, archive.file),
    zipSha256Hex: archive.sha256Hex,
    zipSha256Base64: archive.sha256Base64,
    zipSizeBytes: archive.sizeBytes,
    codeSizeBytes: bundle.record.codeSizeBytes,
    warnings: [],
  };
}

/**
 * What changed since the bundle was built, one line per difference; `[]` when it is current. `undefined` when the
 * package holds no sources to compare with (an installed package: the prebuilt bundle is the code).
 */
export function staleInputs(bundle: PrebuiltBundle): string[] | undefined {
  const { record, packageRoot } = bundle;
  if (!fs.existsSync(path.join(packageRoot, record.entry))) return undefined;
  const changes: string[] = [];
  for (const [file, sha256] of Object.entries(record.sources)) {
    const current = path.join(packageRoot, file);
    if (!fs.existsSync(current)) changes.push(`${file} was deleted`);
    else if (sha256Hex(fs.readFileSync(current)) !== sha256) changes.push(`${file} changed`);
  }
  for (const [dir, version] of Object.entries(record.packages)) {
    const current = packageVersion(path.join(packageRoot, dir));
    if (current !== version) changes.push(`${dir} is ${current ?? 'not installed'} (built with ${version})`);
  }
  return changes;
}

/**
 * The `sources` and `packages` of a manifest record: esbuild's metafile inputs plus `buildInputs` (the build's own
 * files and packages), as paths relative to `packageRoot`.
 */
export function recordInputs(
  metafile: Metafile,
  packageRoot: string,
  buildInputs: readonly string[] = [],
): Pick<PrebuiltBundleRecord, 'sources' | 'packages'> {
  const sources: Record<string, string> = {};
  const packages: Record<string, string> = {};
  for (const input of [...new Set([...Object.keys(metafile.inputs), ...buildInputs])].sort()) {
    const packageDir = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)(?:\/|$)/.exec(input)?.[1];
    if (packageDir === undefined) {
      sources[input] = sha256Hex(fs.readFileSync(path.join(packageRoot, input)));
    } else if (!(packageDir in packages)) {
      const version = packageVersion(path.join(packageRoot, packageDir));
      if (version === undefined) throw new Error(`no version in ${packageDir}/package.json`);
      packages[packageDir] = version;
    }
  }
  return { sources, packages };
}

/** The archive's description for the manifest. */
export function archiveRecord(file: string, zip: Buffer): PrebuiltArchive {
  return {
    file,
    sha256Hex: sha256Hex(zip),
    sha256Base64: createHash('sha256').update(zip).digest('base64'),
    sizeBytes: zip.length,
  };
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function packageVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
