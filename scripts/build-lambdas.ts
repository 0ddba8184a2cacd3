/**
 * `npm run build:lambdas`: builds the product's Lambda handlers into dist/lambda-bundles/ — per handler a
 * deterministic ZIP without and one with source map, plus manifest.json — once: at pack time (`prepack`), after
 * `npm ci` (`prepare`) and before `npm test` (`pretest`). The constructs deploy these bundles, and
 * `npm run build:module` copies them into terraform-module/assets/.
 *
 *   ts-node --swc scripts/build-lambdas.ts [--force] [--out <dir>]
 *
 * Without --force a bundle is kept when its manifest record matches the current sources and package versions, so the
 * hooks cost a few milliseconds when nothing changed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { createDeterministicZip } from '../lib/function/deterministic-zip';
import { archiveEntries, CODE_FILE, lambdaBuildOptions } from '../lib/function/esbuild-options';
import {
  archiveRecord,
  libraryRoot,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  PREBUILT_BUNDLES_DIR,
  readManifest,
  recordInputs,
  staleInputs,
  type PrebuiltBundleRecord,
  type PrebuiltManifest,
} from '../lib/function/prebuilt';
import { sdkSchemaShaking } from '../lib/function/sdk-schema-shaking';
import { lambdaEntry, PRODUCT_FUNCTIONS, type ProductFunction } from '../lib/lambda-entry';

/** The build's own inputs: a change to any of them makes every bundle stale. */
export const BUILD_INPUTS = [
  'lib/function/deterministic-zip.ts',
  'lib/function/esbuild-options.ts',
  'lib/function/sdk-schema-shaking.ts',
  'scripts/build-lambdas.ts',
  'node_modules/esbuild',
] as const;

export interface BuildLambdasOptions {
  /** @default <repository>/dist/lambda-bundles */
  readonly outDir?: string;
  /** Rebuild even when the manifest says a bundle is current. @default false */
  readonly force?: boolean;
  /** Only these handlers (the manifest then lists only them). @default every product handler */
  readonly functions?: readonly ProductFunction[];
}

/** One handler's outcome. */
export interface BuiltBundle {
  readonly record: PrebuiltBundleRecord;
  /** False when the existing bundle was current and kept. */
  readonly rebuilt: boolean;
  /** esbuild warnings. */
  readonly warnings: readonly string[];
}

/** Builds (or keeps) every product handler's bundle and writes the manifest. */
export async function buildLambdas(options: BuildLambdasOptions = {}): Promise<BuiltBundle[]> {
  const root = libraryRoot(path.join(__dirname, '..', 'lib'));
  const outDir = options.outDir ?? path.join(root, PREBUILT_BUNDLES_DIR);
  fs.mkdirSync(outDir, { recursive: true });
  const previous = readManifest(outDir);
  const built = await Promise.all(
    (options.functions ?? PRODUCT_FUNCTIONS).map(async (name): Promise<BuiltBundle> => {
      const kept = previous?.bundles.find((record) => record.entry === entryOf(name));
      if (!options.force && kept && isCurrent(kept, outDir, root))
        return { record: kept, rebuilt: false, warnings: [] };
      return buildOne(name, root, outDir);
    }),
  );
  const manifest: PrebuiltManifest = { format: MANIFEST_FORMAT, bundles: built.map((b) => b.record) };
  writeAtomically(path.join(outDir, MANIFEST_FILE), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
  removeStrayFiles(outDir, manifest);
  return built;
}

async function buildOne(name: ProductFunction, root: string, outDir: string): Promise<BuiltBundle> {
  const result = await build({
    ...lambdaBuildOptions({ entry: lambdaEntry(name), projectRoot: root, externalModules: [] }),
    plugins: [sdkSchemaShaking()],
  });
  const base = path.basename(name);
  const zip = createDeterministicZip(archiveEntries(result.outputFiles, false));
  const zipWithSourceMap = createDeterministicZip(archiveEntries(result.outputFiles, true));
  const archive = archiveRecord(`${base}.zip`, zip);
  const archiveWithSourceMap = archiveRecord(`${base}.with-source-map.zip`, zipWithSourceMap);
  writeAtomically(path.join(outDir, archive.file), zip);
  writeAtomically(path.join(outDir, archiveWithSourceMap.file), zipWithSourceMap);
  const code = result.outputFiles.find((f) => path.basename(f.path) === CODE_FILE)!;
  const record: PrebuiltBundleRecord = {
    name: base,
    entry: entryOf(name),
    archive,
    archiveWithSourceMap,
    codeSizeBytes: code.contents.length,
    ...recordInputs(result.metafile, root, BUILD_INPUTS),
  };
  return { record, rebuilt: true, warnings: result.warnings.map((w) => w.text) };
}

function entryOf(name: ProductFunction): string {
  return `lambdas/${name}.ts`;
}

/** The record matches the sources and packages, and both archives are on disk with the recorded size. */
function isCurrent(record: PrebuiltBundleRecord, dir: string, packageRoot: string): boolean {
  const onDisk = [record.archive, record.archiveWithSourceMap].every((a) => {
    const file = path.join(dir, a.file);
    return fs.existsSync(file) && fs.statSync(file).size === a.sizeBytes;
  });
  return onDisk && staleInputs({ record, dir, packageRoot })?.length === 0;
}

/** Temp file + rename: a concurrent reader (a jest worker synthesizing) never sees a half-written file. */
function writeAtomically(file: string, data: Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

function removeStrayFiles(dir: string, manifest: PrebuiltManifest): void {
  const keep = new Set([
    MANIFEST_FILE,
    ...manifest.bundles.flatMap((b) => [b.archive.file, b.archiveWithSourceMap.file]),
  ]);
  for (const file of fs.readdirSync(dir)) if (!keep.has(file)) fs.rmSync(path.join(dir, file), { force: true });
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

async function main(argv: readonly string[]): Promise<void> {
  const outIndex = argv.indexOf('--out');
  const outDir = outIndex >= 0 ? path.resolve(argv[outIndex + 1]) : undefined;
  const start = Date.now();
  const built = await buildLambdas({ outDir, force: argv.includes('--force') });
  for (const { record, rebuilt, warnings } of built) {
    console.log(
      `${record.name.padEnd(14)} ${rebuilt ? 'built' : 'current'}  index.js ${kb(record.codeSizeBytes)}, ` +
        `${record.archive.file} ${kb(record.archive.sizeBytes)}, ` +
        `with source map ${kb(record.archiveWithSourceMap.sizeBytes)}`,
    );
    warnings.forEach((w) => console.warn(`  esbuild warning: ${w}`));
  }
  console.log(`lambda bundles in ${outDir ?? PREBUILT_BUNDLES_DIR} (${Date.now() - start} ms)`);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
