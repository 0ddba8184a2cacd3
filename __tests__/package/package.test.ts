/**
 * The package as users get it (`npm run test:package`, minutes: not part of `npm test`): `npm pack`, then fresh cdktf
 * TypeScript apps outside the repository install the tarball with their own cdktf / constructs / provider versions,
 * synthesize the README's construct example, and — on hashicorp/aws 5.100.0, the provider this machine has — plan it
 * with real Terraform, offline.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import type { PrebuiltManifest } from '../../lib/function/prebuilt';
import { planStack, TERRAFORM_TEST_TIMEOUT_MS } from '../support/terraform-harness';
import {
  createConsumerApp,
  installedCopies,
  packRepository,
  REPO_ROOT,
  run,
  synthesize,
  tarballFiles,
  versionOf,
  type ConsumerVersions,
} from './support/consumer-app';

jest.setTimeout(20 * 60_000);

const PEER_LIBRARIES = ['cdktf', 'constructs', '@cdktf/provider-aws'] as const;
const MAX_ZIP_BYTES = 250 * 1024;
/** Consumer apps by @cdktf/provider-aws major: 20 binds hashicorp/aws 5.100.0 (planned here), 21 binds aws 6.x. */
const CONSUMERS: readonly ConsumerVersions[] = [
  { cdktf: '0.21.0', constructs: '10.4.2', providerAws: '20.1.0' },
  { cdktf: '0.21.0', constructs: '10.4.2', providerAws: '21.22.1' },
];

const repoPackage = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  peerDependencies: Record<string, string>;
};
/** Majors of `@cdktf/provider-aws` the peer range claims (`^20.1.0 || ^21.0.0` → 20, 21). */
const claimedProviderMajors = repoPackage.peerDependencies['@cdktf/provider-aws']
  .split('||')
  .map((range) => Number(/^\s*\^(\d+)\./.exec(range)?.[1]));
const major = (version: string): number => Number(version.split('.')[0]);

let work: string;
let tarball: string;
beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-ami-rollout-pack-'));
  tarball = await packRepository(work);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('npm pack', () => {
  let files: string[];
  let extracted: string;
  beforeAll(async () => {
    files = await tarballFiles(tarball);
    extracted = path.join(work, 'extracted');
    fs.mkdirSync(extracted);
    await run('tar', ['-xzf', tarball, '-C', extracted, '--strip-components=1'], work);
  });

  it('ships the built entry point and declarations, the CLI, the prebuilt bundles and the Terraform module', () => {
    // GIVEN the tarball's file list / THEN every part a user needs is in it
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'CHANGELOG.md',
        'dist/lib/index.js',
        'dist/lib/index.d.ts',
        'bin/ecs-ami-rollout.js',
        'dist/cli/main.js',
        'dist/lambda-bundles/manifest.json',
        'terraform-module/main.tf.json',
        'terraform-module/variables.tf.json',
        'terraform-module/outputs.tf.json',
        'terraform-module/versions.tf.json',
      ]),
    );
  });

  it('ships no tests, simulator, fixtures, scripts, examples or TypeScript sources', () => {
    // GIVEN the tarball's file list / THEN nothing outside the published parts, no .ts but declarations, no maps
    const allowed =
      /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|bin\/|dist\/(lib|cli|lambdas|lambda-bundles)\/|terraform-module\/)/;
    expect(files.filter((f) => !allowed.test(f))).toEqual([]);
    expect(files.filter((f) => /(^|\/)(__tests__|sim|fixtures|scripts|examples)\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('declares a publishable package whose main, types and exports exist in it', () => {
    // GIVEN the packed package.json
    const manifest = JSON.parse(fs.readFileSync(path.join(extracted, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    > & { exports: Record<string, { types: string; default: string }> };
    // THEN it is not private, and every entry point it names is a file it ships
    expect(manifest.private).toBeUndefined();
    const entries = [manifest.main, manifest.types, manifest.exports['.'].types, manifest.exports['.'].default];
    entries.forEach((entry) => expect(files).toContain(path.normalize(String(entry))));
    expect(Object.keys(manifest.peerDependencies as object).sort()).toEqual(
      ['@cdktf/provider-aws', 'cdktf', 'constructs', 'esbuild'].sort(),
    );
    PEER_LIBRARIES.forEach((name) => expect(manifest.dependencies).not.toHaveProperty(name));
  });

  it("ships bundles byte-identical to dist/lambda-bundles and to the Terraform module's archives", () => {
    // GIVEN the packed manifest (prepack rebuilt every bundle from scratch)
    const bundles = path.join(extracted, 'dist', 'lambda-bundles');
    const manifest = JSON.parse(fs.readFileSync(path.join(bundles, 'manifest.json'), 'utf8')) as PrebuiltManifest;
    for (const { archive } of manifest.bundles) {
      const packed = fs.readFileSync(path.join(bundles, archive.file));
      // THEN each archive is the repository's and the module's, and no larger than 250 KB
      expect(packed.equals(fs.readFileSync(path.join(REPO_ROOT, 'dist', 'lambda-bundles', archive.file)))).toBe(true);
      expect(packed.equals(fs.readFileSync(path.join(extracted, 'terraform-module', 'assets', archive.file)))).toBe(
        true,
      );
      expect(packed.length).toBeLessThanOrEqual(MAX_ZIP_BYTES);
    }
  });
});

it('has a consumer app for every @cdktf/provider-aws major the peer range claims', () => {
  // GIVEN the claimed majors / THEN each is exercised below
  expect(claimedProviderMajors.filter((m) => !CONSUMERS.some((c) => major(c.providerAws) === m))).toEqual([]);
});

describe.each(CONSUMERS)('a cdktf app on @cdktf/provider-aws $providerAws', (versions) => {
  const claimed = claimedProviderMajors.includes(major(versions.providerAws));

  if (!claimed) {
    it('is refused by npm: the peer range does not claim this major', async () => {
      // GIVEN a consumer on a provider major outside the range / WHEN it installs the tarball / THEN npm refuses
      await expect(createConsumerApp(tarball, versions)).rejects.toThrow(/ERESOLVE|peer @cdktf\/provider-aws/);
    });
    return;
  }

  let app: string;
  let stackDir: string;
  beforeAll(async () => {
    app = await createConsumerApp(tarball, versions);
    await synthesize(app);
    stackDir = path.join(app, 'cdktf.out', 'stacks', 'prod-web');
  });
  afterAll(() => fs.rmSync(app, { recursive: true, force: true }));

  it('holds exactly one copy of cdktf, constructs and @cdktf/provider-aws: its own', () => {
    // GIVEN the installed tree / THEN each library is installed once, at the top, in the app's version
    const expected = {
      cdktf: versions.cdktf,
      constructs: versions.constructs,
      '@cdktf/provider-aws': versions.providerAws,
    };
    for (const name of PEER_LIBRARIES) {
      const copies = installedCopies(app, name);
      expect(copies).toEqual([path.join(app, 'node_modules', name)]);
      expect(versionOf(copies[0])).toBe(expected[name]);
    }
    expect(installedCopies(app, 'ecs-ami-rollout').map(versionOf)).toEqual([repoPackage.version]);
  });

  it('synthesizes the README example with the prebuilt bundles, each at most 250 KB', () => {
    // GIVEN the synthesized stack
    const tf = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
      resource: Record<string, Record<string, { filename: string; source_code_hash: string }>>;
    };
    const functions = Object.values(tf.resource.aws_lambda_function);
    const installed = path.join(app, 'node_modules', 'ecs-ami-rollout', 'dist', 'lambda-bundles');
    const prebuilt = (
      JSON.parse(fs.readFileSync(path.join(installed, 'manifest.json'), 'utf8')) as PrebuiltManifest
    ).bundles
      .map((b) => b.archive.sha256Base64)
      .sort();
    // THEN the four functions deploy the package's archives, hashed as Terraform will hash them
    expect(functions.map((f) => f.source_code_hash).sort()).toEqual(prebuilt);
    for (const fn of functions) {
      const zip = fs.readFileSync(path.join(stackDir, fn.filename));
      expect(createHash('sha256').update(zip).digest('base64')).toBe(fn.source_code_hash);
      expect(zip.length).toBeLessThanOrEqual(MAX_ZIP_BYTES);
    }
  });

  it('runs the operator CLI installed with the package', async () => {
    // GIVEN the package's bin / WHEN asked for help / THEN it runs (compiled CLI, its dependencies installed)
    const { stdout } = await run(path.join(app, 'node_modules', '.bin', 'ecs-ami-rollout'), ['--help'], app);
    expect(stdout).toMatch(/^Usage: ecs-ami-rollout/m);
  });

  if (major(versions.providerAws) === 20) {
    it(
      'is planned by real Terraform with hashicorp/aws 5.100.0, offline',
      async () => {
        // GIVEN the synthesized stack / WHEN Terraform plans it against the loopback AWS stub
        const plan = await planStack(path.join(app, 'cdktf.out'), { stackName: 'prod-web' });
        // THEN every resource is created (nothing fails to plan), the four functions among them
        const changes = plan.resourceChanges().filter((c) => c.mode === 'managed');
        expect(changes.length).toBeGreaterThan(50);
        expect(changes.filter((c) => c.change.actions.join() !== 'create')).toEqual([]);
        expect(plan.resourceChanges('aws_lambda_function')).toHaveLength(4);
      },
      TERRAFORM_TEST_TIMEOUT_MS,
    );
  }
});
