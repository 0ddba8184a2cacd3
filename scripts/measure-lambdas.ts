/**
 * `npm run measure:lambdas`: size and module init time of each prebuilt Lambda bundle against a hello-world bundle,
 * measured in the same run (interleaved, fresh Node.js process per sample, median of --runs).
 *
 *   ts-node --swc scripts/measure-lambdas.ts [--runs 9] [--variants] [--json]
 *
 * Init time = wall time of `require()` of the bundle's index.js in a fresh process: parsing and evaluating the code,
 * parsing the function's config and creating its SDK clients (the entries build their handlers at module load, so
 * the process gets a deployed function's environment, scripts/cold-start-env.ts) — what a cold start adds on top of
 * the runtime's own start. --variants also builds, in the same run, the alternatives the prebuilt bundles were chosen
 * over: without the SDK schema shaking and with `--enable-source-maps` (the bundles before the package work), and
 * with `@aws-sdk/*` left to the runtime (loaded here from node_modules, the SDK version of our lockfile).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { build } from 'esbuild';
import { archiveEntries, lambdaBuildOptions } from '../lib/function/esbuild-options';
import { libraryRoot, PREBUILT_BUNDLES_DIR, readManifest } from '../lib/function/prebuilt';
import { sdkSchemaShaking } from '../lib/function/sdk-schema-shaking';
import { createDeterministicZip } from '../lib/function/deterministic-zip';
import { COLD_START_ENV } from './cold-start-env';

interface Variant {
  readonly name: string;
  /** The bundle's index.js. */
  readonly file: string;
  readonly nodeArgs: readonly string[];
  /** NODE_PATH for modules left external, or none. */
  readonly nodePath?: string;
  readonly codeBytes: number;
  readonly zipBytes: number;
}

export interface Measurement {
  readonly name: string;
  readonly codeBytes: number;
  readonly zipBytes: number;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly minMs: number;
  readonly maxMs: number;
}

const HELLO = 'export const handler = async () => ({ statusCode: 200, body: "hello" });\n';

async function buildVariant(
  name: string,
  entry: string,
  outDir: string,
  options: { shaking: boolean; sourceMap: boolean; external?: string[] },
): Promise<Variant> {
  const root = libraryRoot(path.join(__dirname, '..', 'lib'));
  const result = await build({
    ...lambdaBuildOptions({ entry, projectRoot: root, externalModules: options.external ?? [] }),
    plugins: options.shaking ? [sdkSchemaShaking()] : [],
  });
  const entries = archiveEntries(result.outputFiles, options.sourceMap);
  const dir = fs.mkdtempSync(path.join(outDir, 'variant-'));
  entries.forEach((e) => fs.writeFileSync(path.join(dir, e.name), e.data));
  return {
    name,
    file: path.join(dir, 'index.js'),
    nodeArgs: options.sourceMap ? ['--enable-source-maps'] : [],
    // Externals resolve from the repository's node_modules, as the runtime's SDK does from its own directory.
    nodePath: options.external ? path.join(root, 'node_modules') : undefined,
    codeBytes: entries[0].data.length,
    zipBytes: createDeterministicZip(entries).length,
  };
}

function prebuiltVariants(outDir: string): Variant[] {
  const dir = path.join(libraryRoot(path.join(__dirname, '..', 'lib')), PREBUILT_BUNDLES_DIR);
  const manifest = readManifest(dir);
  if (!manifest) throw new Error(`no prebuilt bundles in ${dir}: run npm run build:lambdas`);
  return manifest.bundles.map((bundle) => {
    const target = fs.mkdtempSync(path.join(outDir, `${bundle.name}-`));
    const zip = fs.readFileSync(path.join(dir, bundle.archive.file));
    fs.writeFileSync(path.join(target, 'index.js'), readCodeFromZip(zip));
    return {
      name: bundle.name,
      file: path.join(target, 'index.js'),
      nodeArgs: [],
      codeBytes: bundle.codeSizeBytes,
      zipBytes: bundle.archive.sizeBytes,
    };
  });
}

/** index.js of a prebuilt archive: its only entry, DEFLATE (see lib/function/deterministic-zip.ts). */
function readCodeFromZip(zip: Buffer): Buffer {
  const compressedSize = zip.readUInt32LE(18);
  const start = 30 + zip.readUInt16LE(26) + zip.readUInt16LE(28);
  return zlib.inflateRawSync(zip.subarray(start, start + compressedSize));
}

/** Milliseconds `require()` takes in a fresh process. */
function initMs(variant: Variant): number {
  const script =
    `const t = process.hrtime.bigint(); require(${JSON.stringify(variant.file)}); ` +
    'process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));';
  const base = { ...process.env, ...COLD_START_ENV };
  const env = variant.nodePath ? { ...base, NODE_PATH: variant.nodePath } : base;
  return Number(execFileSync(process.execPath, [...variant.nodeArgs, '-e', script], { encoding: 'utf8', env }));
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

export async function measureLambdas(runs: number, withVariants: boolean): Promise<Measurement[]> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'measure-lambdas-'));
  try {
    const helloEntry = path.join(outDir, 'hello.ts');
    fs.writeFileSync(helloEntry, HELLO);
    const variants = [
      await buildVariant('hello-world', helloEntry, outDir, { shaking: true, sourceMap: false }),
      ...prebuiltVariants(outDir),
    ];
    if (withVariants) {
      const entry = path.join(libraryRoot(path.join(__dirname, '..', 'lib')), 'lambdas', 'gates', 'launch-gate.ts');
      variants.push(
        await buildVariant('launch-gate, before (full SDK schemas, source map on)', entry, outDir, {
          shaking: false,
          sourceMap: true,
        }),
        await buildVariant('launch-gate, no schema shaking', entry, outDir, { shaking: false, sourceMap: false }),
        await buildVariant('launch-gate, @aws-sdk from the runtime', entry, outDir, {
          shaking: true,
          sourceMap: false,
          external: ['@aws-sdk/*'],
        }),
      );
    }
    const samples = new Map<string, number[]>(variants.map((v) => [v.name, []]));
    for (let i = 0; i < runs; i++) for (const v of variants) samples.get(v.name)!.push(initMs(v));
    return variants.map((v) => {
      const sorted = [...samples.get(v.name)!].sort((a, b) => a - b);
      return {
        name: v.name,
        codeBytes: v.codeBytes,
        zipBytes: v.zipBytes,
        medianMs: quantile(sorted, 0.5),
        p90Ms: quantile(sorted, 0.9),
        minMs: sorted[0],
        maxMs: sorted[sorted.length - 1],
      };
    });
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

async function main(argv: readonly string[]): Promise<void> {
  const runsIndex = argv.indexOf('--runs');
  const runs = runsIndex >= 0 ? Number(argv[runsIndex + 1]) : 9;
  const results = await measureLambdas(runs, argv.includes('--variants'));
  if (argv.includes('--json')) {
    console.log(JSON.stringify({ node: process.version, runs, results }, null, 2));
    return;
  }
  console.log(`Node.js ${process.version}, ${os.cpus().length} CPUs, ${runs} runs per bundle (interleaved)`);
  console.log('| bundle | index.js KB | zip KB | init median ms | p90 | min | max |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const kb = (b: number): string => (b / 1024).toFixed(1);
    const ms = (m: number): string => m.toFixed(1);
    console.log(
      `| ${r.name} | ${kb(r.codeBytes)} | ${kb(r.zipBytes)} | ${ms(r.medianMs)} | ${ms(r.p90Ms)} | ` +
        `${ms(r.minMs)} | ${ms(r.maxMs)} |`,
    );
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
