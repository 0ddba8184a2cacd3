/**
 * Synth-time bundling of a Lambda handler into a deterministic ZIP (`bundling: 'source'`).
 *
 * `NodejsFunction` talks to bundling only through the {@link Bundler} interface, so construct tests can pass the
 * {@link StubBundler} (the `bundler` prop) and stay fast; `__tests__/lib/function/bundle.test.ts` exercises
 * {@link EsbuildBundler} for real. The product's own handlers are not bundled at synth time: they ship prebuilt
 * (`prebuilt.ts`).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import type * as Esbuild from 'esbuild';
import { createDeterministicZip } from './deterministic-zip';
import { archiveEntries, CODE_FILE, lambdaBuildOptions } from './esbuild-options';
import { invalid } from '../validation';

/** What to bundle. */
export interface BundleRequest {
  /** Absolute path of the handler's entry file (TypeScript or JavaScript). */
  readonly entry: string;
  /** Module specifiers left out of the bundle and resolved from the Lambda runtime instead (esbuild `external`). */
  readonly externalModules: readonly string[];
  /** Ship `index.js.map` in the ZIP (and link it from the code). */
  readonly sourceMap: boolean;
}

/** A bundled, zipped handler on local disk. */
export interface BundleResult {
  /** Absolute path of the ZIP file; its bytes depend only on the bundled code. */
  readonly zipPath: string;
  /** Base64 SHA-256 of the ZIP — the format of Terraform's `filebase64sha256()` and of Lambda's `CodeSha256`. */
  readonly zipSha256Base64: string;
  /** Hex SHA-256 of the ZIP (used for content-addressed paths). */
  readonly zipSha256Hex: string;
  /** Size of the ZIP in bytes. */
  readonly zipSizeBytes: number;
  /** Size of the uncompressed handler code (`index.js`) in bytes. */
  readonly codeSizeBytes: number;
  /** Bundler warnings, already formatted one per line; surfaced as construct annotations. */
  readonly warnings: readonly string[];
}

/** Turns a handler entry file into a Lambda deployment package. Implementations must be deterministic. */
export interface Bundler {
  bundle(request: BundleRequest): BundleResult;
}

/** Default root for bundle output: outside the project, content-addressed, safe to delete at any time. */
export const DEFAULT_BUNDLE_ROOT = path.join(os.tmpdir(), 'ecs-ami-rollout-bundles');

/** Options of {@link EsbuildBundler}. */
export interface EsbuildBundlerOptions {
  /**
   * Directory under which `<sha256>/bundle.zip` files are written.
   * @default DEFAULT_BUNDLE_ROOT (`<os tmpdir>/ecs-ami-rollout-bundles`)
   */
  readonly outRoot?: string;
}

/**
 * Bundles with esbuild's synchronous JS API (constructs are built synchronously) and zips deterministically, with the
 * settings of `esbuild-options.ts`. esbuild is loaded on first use: it is a devDependency of this repository and an
 * optional peer dependency of the package, needed only to bundle your own handlers.
 */
export class EsbuildBundler implements Bundler {
  private readonly outRoot: string;

  constructor(options: EsbuildBundlerOptions = {}) {
    this.outRoot = options.outRoot ?? DEFAULT_BUNDLE_ROOT;
  }

  bundle(request: BundleRequest): BundleResult {
    const { entry } = request;
    if (!fs.existsSync(entry) || !fs.statSync(entry).isFile()) {
      invalid(
        'NodejsFunction.entry',
        entry,
        'the file does not exist',
        'point entry at the handler file, e.g. lambdas/<name>/index.ts',
      );
    }
    const options = lambdaBuildOptions({
      entry,
      projectRoot: findProjectRoot(path.dirname(entry)),
      externalModules: request.externalModules,
    });
    const result = loadEsbuild().buildSync(options);
    const entries = archiveEntries(result.outputFiles, request.sourceMap);
    const code = entries.find((e) => e.name === CODE_FILE)!;
    return writeBundle(
      this.outRoot,
      createDeterministicZip(entries),
      code.data.length,
      formatMessages(result.warnings),
    );
  }
}

/**
 * Writes a tiny placeholder handler instead of bundling. Deterministic, needs no entry file on disk and no esbuild run:
 * for construct tests (`bundler: new StubBundler()`). Never deploy its output.
 */
export class StubBundler implements Bundler {
  /** Requests seen, so tests can assert what would have been bundled. */
  public readonly requests: BundleRequest[] = [];

  constructor(private readonly outRoot: string = DEFAULT_BUNDLE_ROOT) {}

  bundle(request: BundleRequest): BundleResult {
    this.requests.push(request);
    // Only the basename: the stub must not depend on where the project is checked out.
    const code = Buffer.from(
      `"use strict";exports.handler=async()=>{throw new Error(${JSON.stringify(
        `stub bundle of ${path.basename(request.entry)}: bundling was skipped (StubBundler)`,
      )})};\n`,
    );
    return writeBundle(this.outRoot, createDeterministicZip([{ name: 'index.js', data: code }]), code.length, []);
  }
}

/** Nearest ancestor directory (inclusive) holding a package.json; falls back to the current working directory. */
export function findProjectRoot(startDir: string): string {
  let dir = path.resolve(startDir);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

/**
 * Stores the ZIP content-addressed at `<outRoot>/<sha256>/bundle.zip`. Written to a temp file and renamed, so parallel
 * synths (jest workers) never observe a half-written file; identical content lands on the identical path.
 */
function writeBundle(outRoot: string, zip: Buffer, codeSizeBytes: number, warnings: readonly string[]): BundleResult {
  const zipSha256Hex = createHash('sha256').update(zip).digest('hex');
  const dir = path.join(outRoot, zipSha256Hex);
  const zipPath = path.join(dir, 'bundle.zip');
  if (!isSameFile(zipPath, zip)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${zipPath}.${process.pid}.${Date.now()}.tmp`;
    fs.writeFileSync(tmp, zip);
    fs.renameSync(tmp, zipPath);
  }
  return {
    zipPath,
    zipSha256Hex,
    zipSha256Base64: createHash('sha256').update(zip).digest('base64'),
    zipSizeBytes: zip.length,
    codeSizeBytes,
    warnings,
  };
}

function isSameFile(file: string, content: Buffer): boolean {
  try {
    return fs.readFileSync(file).equals(content);
  } catch {
    return false;
  }
}

/** esbuild, resolved from the application (it is not a dependency of the installed package). */
function loadEsbuild(): typeof Esbuild {
  try {
    return createRequire(__filename)('esbuild') as typeof Esbuild;
  } catch {
    return invalid(
      'NodejsFunction.bundling',
      'source',
      'bundling a handler at synth time needs esbuild, which is not installed',
      'npm install --save-dev esbuild (tested with 0.28), or deploy a prebuilt bundle',
    );
  }
}

function formatMessages(messages: readonly Esbuild.Message[]): string[] {
  return messages.map((m) => {
    const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : '';
    return `${where}${m.text}`;
  });
}
