/**
 * Synth-time bundling of a Lambda handler into a deterministic ZIP.
 *
 * `NodejsFunction` talks to bundling only through the {@link Bundler} interface, so construct tests can swap in the
 * {@link StubBundler} (via the `bundler` prop, or globally with `ECS_AMI_ROLLOUT_SKIP_BUNDLING=1`) and stay fast;
 * `__tests__/function/bundle.test.ts` exercises {@link EsbuildBundler} for real.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildSync, type Message } from 'esbuild';
import { createDeterministicZip, type ZipEntry } from './deterministic-zip';
import { invalid } from '../validation';

/** What to bundle. */
export interface BundleRequest {
  /** Absolute path of the handler's entry file (TypeScript or JavaScript). */
  readonly entry: string;
  /** Module specifiers left out of the bundle and resolved from the Lambda runtime instead (esbuild `external`). */
  readonly externalModules: readonly string[];
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
  /** Size of the uncompressed handler code (`index.js`, without its source map) in bytes. */
  readonly codeSizeBytes: number;
  /** Bundler warnings, already formatted one per line; surfaced as construct annotations. */
  readonly warnings: readonly string[];
}

/** Turns a handler entry file into a Lambda deployment package. Implementations must be deterministic. */
export interface Bundler {
  bundle(request: BundleRequest): BundleResult;
}

/**
 * Environment switch: when `1`, {@link resolveBundler} returns a {@link StubBundler} (for tests of other constructs).
 */
export const SKIP_BUNDLING_ENV = 'ECS_AMI_ROLLOUT_SKIP_BUNDLING';

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
 * Bundles with esbuild's synchronous JS API (constructs are built synchronously) and zips deterministically.
 *
 * Determinism: minified output carries no path comments, the source map lists sources relative to the project root
 * (we pretend the output lives at `<projectRoot>/index.js`; `write: false` keeps it in memory) and omits
 * `sourcesContent`, and the ZIP ignores file metadata — so neither mtimes nor the checkout location leak into the
 * bytes.
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
    const projectRoot = findProjectRoot(path.dirname(entry));
    const result = buildSync({
      entryPoints: [entry],
      absWorkingDir: projectRoot,
      outfile: path.join(projectRoot, 'index.js'),
      write: false,
      bundle: true,
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      // Prefer the ES module builds (AWS SDK v3 ships both): esbuild can tree-shake them, ~35 % smaller bundles.
      mainFields: ['module', 'main'],
      minify: true,
      // External map, no embedded sources: stack traces get mapped (NODE_OPTIONS=--enable-source-maps) while the
      // ZIP stays small; the sources themselves are in git.
      sourcemap: 'linked',
      sourcesContent: false,
      legalComments: 'none',
      // @aws-sdk/* is bundled by default (externalModules = []): the runtime's preinstalled SDK version changes
      // without notice, whereas a bundled one is pinned by our lockfile, tested with our code and reproducible.
      external: [...request.externalModules],
      logLevel: 'silent',
    });
    const files = result.outputFiles ?? [];
    const code = files.find((f) => f.path.endsWith('.js'));
    if (!code) throw new Error(`esbuild produced no JavaScript for ${entry}`);
    const entries: ZipEntry[] = files.map((f) => ({ name: path.basename(f.path), data: Buffer.from(f.contents) }));
    return writeBundle(
      this.outRoot,
      createDeterministicZip(entries),
      code.contents.length,
      formatMessages(result.warnings),
    );
  }
}

/**
 * Writes a tiny placeholder handler instead of bundling. Deterministic, needs no entry file on disk and no esbuild run:
 * for construct tests (`bundler: new StubBundler()` or `ECS_AMI_ROLLOUT_SKIP_BUNDLING=1`). Never deploy its output.
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
        `stub bundle of ${path.basename(request.entry)}: bundling was skipped (${SKIP_BUNDLING_ENV})`,
      )})};\n`,
    );
    return writeBundle(this.outRoot, createDeterministicZip([{ name: 'index.js', data: code }]), code.length, []);
  }
}

/**
 * Picks the bundler: the explicit one if given, the {@link StubBundler} when `ECS_AMI_ROLLOUT_SKIP_BUNDLING=1`,
 * otherwise a real {@link EsbuildBundler}.
 */
export function resolveBundler(explicit?: Bundler): Bundler {
  if (explicit) return explicit;
  return process.env[SKIP_BUNDLING_ENV] === '1' ? new StubBundler() : new EsbuildBundler();
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

function formatMessages(messages: readonly Message[]): string[] {
  return messages.map((m) => {
    const where = m.location ? `${m.location.file}:${m.location.line}:${m.location.column}: ` : '';
    return `${where}${m.text}`;
  });
}
