/**
 * How every Lambda bundle is built, defined once: the prebuilt bundles (`npm run build:lambdas`, once at pack time)
 * and `bundling: 'source'` (esbuild at synth time) use the same esbuild settings and the same archive layout.
 */
import * as path from 'path';
import type { BuildOptions, OutputFile } from 'esbuild';
import type { ZipEntry } from './deterministic-zip';

/** The deployed handler file; the function's handler setting is `index.handler`. */
export const CODE_FILE = 'index.js';
/** The source map, shipped in the archive only when source maps are enabled. */
export const SOURCE_MAP_FILE = 'index.js.map';
/** Appended to the code when the map ships, so `--enable-source-maps` finds it next to the code. */
export const SOURCE_MAP_COMMENT = `\n//# sourceMappingURL=${SOURCE_MAP_FILE}\n`;

/** What to build. */
export interface LambdaBuildInput {
  /** Absolute path of the handler's entry file. */
  readonly entry: string;
  /** Directory the source map's `sources` are relative to (the project root), so no absolute path leaks. */
  readonly projectRoot: string;
  /** Module specifiers left to the Lambda runtime (esbuild `external`). */
  readonly externalModules: readonly string[];
}

/**
 * esbuild settings of a Lambda bundle: one minified CommonJS file for Node.js 22, the AWS SDK v3 inside it.
 *
 * Determinism: minified output has no path comments; we pretend the output lives at `<projectRoot>/index.js`
 * (`write: false` keeps it in memory), so the map lists sources relative to the project root, without
 * `sourcesContent`. The map is always produced (`external`: no comment in the code) and shipped only when enabled.
 */
export function lambdaBuildOptions(input: LambdaBuildInput): BuildOptions & { write: false; metafile: true } {
  return {
    entryPoints: [input.entry],
    absWorkingDir: input.projectRoot,
    outfile: path.join(input.projectRoot, CODE_FILE),
    write: false,
    metafile: true,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    // Prefer the ES module builds (AWS SDK v3 ships both): esbuild can only tree-shake those.
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: 'external',
    sourcesContent: false,
    legalComments: 'none',
    // @aws-sdk/* is bundled by default (externalModules = []): the runtime's preinstalled SDK version changes
    // without notice, whereas a bundled one is pinned by our lockfile, tested with our code and reproducible.
    external: [...input.externalModules],
    logLevel: 'silent',
  };
}

/** The archive entries of a build: the code, plus (when `sourceMap`) the linked map. */
export function archiveEntries(outputFiles: readonly OutputFile[], sourceMap: boolean): ZipEntry[] {
  const code = outputFiles.find((f) => path.basename(f.path) === CODE_FILE);
  if (!code) throw new Error(`esbuild produced no ${CODE_FILE}`);
  if (!sourceMap) return [{ name: CODE_FILE, data: Buffer.from(code.contents) }];
  const map = outputFiles.find((f) => path.basename(f.path) === SOURCE_MAP_FILE);
  if (!map) throw new Error(`esbuild produced no ${SOURCE_MAP_FILE}`);
  return [
    { name: CODE_FILE, data: Buffer.concat([Buffer.from(code.contents), Buffer.from(SOURCE_MAP_COMMENT)]) },
    { name: SOURCE_MAP_FILE, data: Buffer.from(map.contents) },
  ];
}
