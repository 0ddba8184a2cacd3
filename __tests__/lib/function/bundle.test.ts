/**
 * Real source bundling (`bundling: 'source'`): esbuild + deterministic ZIP on a fixture handler that imports an AWS
 * SDK v3 client. Checks that the bundle loads and exports `handler`, that source maps ship only when enabled and are
 * location-independent, and that the deployed archive is byte-identical across synths (so `terraform plan` shows no
 * spurious code change).
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdktf';
import { EsbuildBundler, NodejsFunction, type BundleResult } from '../../../lib/function';
import { ValidationError } from '../../../lib/validation';
import { newStack, readZip } from './helpers';

const FIXTURE = path.join(__dirname, 'fixtures', 'hello.ts');
const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
const tmpDirs: string[] = [];

function tmpDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodejs-function-bundle-test-'));
  tmpDirs.push(dir);
  return dir;
}

function sha256(data: Buffer, encoding: 'hex' | 'base64' = 'hex'): string {
  return createHash('sha256').update(data).digest(encoding);
}

afterAll(() => tmpDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('EsbuildBundler (real esbuild)', () => {
  let first: BundleResult;
  beforeAll(() => {
    first = new EsbuildBundler({ outRoot: tmpDir() }).bundle({ entry: FIXTURE, externalModules: [], sourceMap: true });
  });

  it('ships only index.js, without a source map link, unless source maps are enabled', () => {
    // GIVEN the fixture bundled with source maps off
    const plain = new EsbuildBundler({ outRoot: tmpDir() }).bundle({
      entry: FIXTURE,
      externalModules: [],
      sourceMap: false,
    });
    // WHEN the archive is read
    const entries = readZip(fs.readFileSync(plain.zipPath));
    // THEN it holds the code alone, which links no map, and is smaller than the archive with the map
    expect(entries.map((e) => e.name)).toEqual(['index.js']);
    expect(entries[0].data.toString('utf8')).not.toContain('sourceMappingURL');
    expect(plain.zipSizeBytes).toBeLessThan(first.zipSizeBytes);
  });

  it('produces a ZIP with index.js and its source map, with fixed metadata', () => {
    // GIVEN the bundle of the fixture / WHEN the archive is read
    const entries = readZip(fs.readFileSync(first.zipPath));
    // THEN it holds exactly the code and the map, dated 1980-01-01 00:00, mode 0644
    expect(entries.map((e) => e.name)).toEqual(['index.js', 'index.js.map']);
    entries.forEach((e) => {
      expect(e.dosDate).toBe(0x21);
      expect(e.dosTime).toBe(0);
      expect(e.unixMode).toBe(0o100644);
    });
    expect(first.zipSha256Hex).toBe(sha256(fs.readFileSync(first.zipPath)));
    expect(first.zipSha256Base64).toBe(sha256(fs.readFileSync(first.zipPath), 'base64'));
  });

  it('loads with require, exports handler, and bundles the AWS SDK', async () => {
    // GIVEN the extracted bundle in a directory without node_modules
    const dir = tmpDir();
    readZip(fs.readFileSync(first.zipPath)).forEach((e) => fs.writeFileSync(path.join(dir, e.name), e.data));
    // WHEN required (creating the SDK client makes no AWS call)
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads the bundle as Lambda does
    const mod = require(path.join(dir, 'index.js')) as { handler: (event: { name?: string }) => Promise<unknown> };
    // THEN handler is exported and works; the SDK is inside the bundle, not required from the runtime
    expect(typeof mod.handler).toBe('function');
    await expect(mod.handler({ name: 'rollout' })).resolves.toEqual({ message: 'hello, rollout' });
    const code = fs.readFileSync(path.join(dir, 'index.js'), 'utf8');
    // (@aws-sdk/signature-v4-crt is an optional native add-on the SDK probes for inside try/catch; it stays external.)
    const requiredSdkModules = [...code.matchAll(/require\("(@aws-sdk\/[^"]+)"\)/g)].map((m) => m[1]);
    expect(requiredSdkModules.filter((m) => m !== '@aws-sdk/signature-v4-crt')).toEqual([]);
    expect(code.includes('DescribeAutoScalingGroups')).toBe(true);
  });

  it('writes a location-independent external source map without embedded sources', () => {
    // GIVEN the archive entries
    const entries = readZip(fs.readFileSync(first.zipPath));
    const code = entries.find((e) => e.name === 'index.js')!.data.toString('utf8');
    const map = JSON.parse(entries.find((e) => e.name === 'index.js.map')!.data.toString('utf8')) as {
      sources: string[];
      sourcesContent?: unknown;
    };
    // THEN the code links the map, sources are project-relative, and no absolute path leaks into either file
    expect(code.trimEnd().endsWith('//# sourceMappingURL=index.js.map')).toBe(true);
    expect(map.sourcesContent).toBeUndefined();
    expect(map.sources).toContain('__tests__/lib/function/fixtures/hello.ts');
    expect(map.sources.filter((s) => s.startsWith('/') || s.startsWith('..'))).toEqual([]);
    entries.forEach((e) => expect(e.data.includes(PROJECT_ROOT)).toBe(false));
  });

  it('is byte-identical when re-bundled into another directory after the source mtime changed', () => {
    // GIVEN the fixture with a different mtime (restored afterwards)
    const { atime, mtime } = fs.statSync(FIXTURE);
    try {
      fs.utimesSync(FIXTURE, new Date(), new Date(Date.now() + 3_600_000));
      // WHEN bundled again into a different output root
      const second = new EsbuildBundler({ outRoot: tmpDir() }).bundle({
        entry: FIXTURE,
        externalModules: [],
        sourceMap: true,
      });
      // THEN the bytes and hashes are identical
      expect(second.zipPath).not.toBe(first.zipPath);
      expect(fs.readFileSync(second.zipPath).equals(fs.readFileSync(first.zipPath))).toBe(true);
      expect(second.zipSha256Base64).toBe(first.zipSha256Base64);
    } finally {
      fs.utimesSync(FIXTURE, atime, mtime);
    }
  });

  it('reports its size and stays small', () => {
    // GIVEN the bundle / THEN the sizes are reported and bounded (a regression guard against e.g. embedded sources)
    console.log(`fixture bundle: index.js ${first.codeSizeBytes} B, bundle.zip ${first.zipSizeBytes} B`);
    expect(first.zipSizeBytes).toBeLessThan(first.codeSizeBytes);
    expect(first.zipSizeBytes).toBeLessThan(1_000_000);
  });

  it('leaves externalModules to the runtime', () => {
    // GIVEN @aws-sdk/* as external
    const external = new EsbuildBundler({ outRoot: tmpDir() }).bundle({
      entry: FIXTURE,
      externalModules: ['@aws-sdk/*'],
      sourceMap: true,
    });
    // WHEN the code is read
    const code = readZip(fs.readFileSync(external.zipPath))[0].data.toString('utf8');
    // THEN the SDK is required at runtime and the bundle shrinks accordingly
    expect(code.includes('require("@aws-sdk/client-auto-scaling")')).toBe(true);
    expect(external.codeSizeBytes).toBeLessThan(first.codeSizeBytes / 10);
  });

  it('names the entry prop when the file does not exist', () => {
    // GIVEN a missing entry / WHEN bundled / THEN a ValidationError names NodejsFunction.entry
    const bundle = () =>
      new EsbuildBundler({ outRoot: tmpDir() }).bundle({
        entry: '/nope/missing.ts',
        externalModules: [],
        sourceMap: false,
      });
    expect(bundle).toThrow(ValidationError);
    expect(bundle).toThrow(/NodejsFunction\.entry: "\/nope\/missing\.ts" is invalid — the file does not exist/);
  });
});

describe('NodejsFunction asset (full synth)', () => {
  function synthOnce(): { archive: Buffer; lambda: Record<string, string> } {
    const stack = newStack();
    new NodejsFunction(stack, 'Hello', { entry: FIXTURE, functionName: 'hello' });
    const outdir = Testing.fullSynth(stack);
    tmpDirs.push(outdir);
    const stackDir = path.join(outdir, 'stacks', 'test');
    const tf = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    const lambda = Object.values(tf.resource.aws_lambda_function)[0] as Record<string, string>;
    return { archive: fs.readFileSync(path.join(stackDir, lambda.filename)), lambda };
  }

  it('deploys byte-identical archives from two synths into different directories', () => {
    // GIVEN two complete synths (each bundles anew) into two temporary output directories
    const a = synthOnce();
    const b = synthOnce();
    // THEN archive bytes, path and source_code_hash are equal, and the hash is Terraform's filebase64sha256
    expect(sha256(a.archive)).toBe(sha256(b.archive));
    expect(a.lambda.filename).toBe(b.lambda.filename);
    expect(a.lambda.source_code_hash).toBe(b.lambda.source_code_hash);
    expect(a.lambda.source_code_hash).toBe(sha256(a.archive, 'base64'));
    console.log(`synthesized asset ${a.lambda.filename}: ${a.archive.length} B, sha256 ${sha256(a.archive)}`);
  });
});
