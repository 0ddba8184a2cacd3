/**
 * Where a NodejsFunction's code comes from: the product's handlers deploy the prebuilt bundles of the package
 * (dist/lambda-bundles, built by `npm run build:lambdas`, which `npm test` runs first); anything else, or a stale
 * bundle in a source checkout, is bundled from source.
 */
import * as fs from 'fs';
import * as path from 'path';
import { NodejsFunction, StubBundler } from '../../../lib/function';
import { resolveFunctionCode } from '../../../lib/function/function-code';
import { lambdaEntry, PRODUCT_FUNCTIONS } from '../../../lib/lambda-entry';
import { ValidationError } from '../../../lib/validation';
import { newStack, onlyResource, synthJson } from './helpers';
import { createFixturePackage, FIXTURE_HANDLER_SOURCE, type FixturePackage } from './support/fixture-package';

const BUNDLES_DIR = path.resolve(__dirname, '..', '..', '..', 'dist', 'lambda-bundles');

describe('NodejsFunction: the product handlers', () => {
  it.each(PRODUCT_FUNCTIONS)('deploys the prebuilt bundle of %s by default', (name) => {
    // GIVEN a function for a product handler, without bundling props
    const stack = newStack();
    const fn = new NodejsFunction(stack, 'Fn', { entry: lambdaEntry(name) });
    // WHEN synthesized
    const lambda = onlyResource(synthJson(stack), 'aws_lambda_function');
    // THEN the package's archive (without source map) is deployed, hashed as on disk
    expect(fn.bundling).toBe('prebuilt');
    expect(fn.bundle.zipPath).toBe(path.join(BUNDLES_DIR, `${path.basename(name)}.zip`));
    expect(lambda.source_code_hash).toBe(fn.bundle.zipSha256Base64);
    expect(lambda.filename).toMatch(new RegExp(`/${path.basename(name)}\\.zip$`));
  });

  it('deploys the archive with the source map, and enables it, when sourceMap is set', () => {
    // GIVEN source maps on
    const stack = newStack();
    const fn = new NodejsFunction(stack, 'Fn', { entry: lambdaEntry('gates/launch-gate'), sourceMap: true });
    // WHEN synthesized / THEN the other archive ships and Node.js is told to use it
    expect(path.basename(fn.bundle.zipPath)).toBe('launch-gate.with-source-map.zip');
    const lambda = onlyResource(synthJson(stack), 'aws_lambda_function');
    expect(lambda.environment).toEqual({ variables: { NODE_OPTIONS: '--enable-source-maps' } });
  });

  it('bundles from source when bundling is source', () => {
    // GIVEN source bundling with a stub bundler
    const bundler = new StubBundler();
    const fn = new NodejsFunction(newStack(), 'Fn', {
      entry: lambdaEntry('monitor/agent-monitor'),
      bundling: 'source',
      bundler,
    });
    // THEN the bundler was asked for the TypeScript entry
    expect(fn.bundling).toBe('source');
    expect(bundler.requests.map((r) => r.entry)).toEqual([lambdaEntry('monitor/agent-monitor')]);
  });

  it('rejects bundling prebuilt for a handler the package has no bundle for, or together with a bundler', () => {
    // GIVEN your own handler / WHEN prebuilt is forced / THEN the error names the prop and the fix
    const ownHandler = () =>
      new NodejsFunction(newStack(), 'Fn', { entry: 'lambdas/mine/index.ts', bundling: 'prebuilt' });
    expect(ownHandler).toThrow(ValidationError);
    expect(ownHandler).toThrow(/NodejsFunction\.bundling: "prebuilt" is invalid — the package ships no prebuilt/);
    const withBundler = () =>
      new NodejsFunction(newStack(), 'Fn', {
        entry: lambdaEntry('gates/drain-gate'),
        bundling: 'prebuilt',
        bundler: new StubBundler(),
      });
    expect(withBundler).toThrow(/NodejsFunction\.bundler: .* only applies to bundling: 'source'/);
  });

  it('rejects an unknown bundling value', () => {
    // GIVEN a JavaScript caller passing a typo / WHEN built / THEN the allowed values are listed
    const typo = { bundling: 'prebuild' } as unknown as { bundling: 'prebuilt' };
    expect(() => new NodejsFunction(newStack(), 'Fn', { entry: lambdaEntry('gates/drain-gate'), ...typo })).toThrow(
      /NodejsFunction\.bundling: "prebuild" is invalid — must be one of "prebuilt", "source"/,
    );
  });
});

describe('resolveFunctionCode in a package with prebuilt bundles', () => {
  let pkg: FixturePackage;
  beforeEach(() => {
    pkg = createFixturePackage();
  });
  afterEach(() => pkg.remove());

  it('deploys a current prebuilt bundle without a warning', () => {
    // GIVEN an untouched checkout / WHEN resolved / THEN the prebuilt archive is used
    const code = resolveFunctionCode({ entry: pkg.entry }, pkg.root);
    expect(code.bundling).toBe('prebuilt');
    expect(code.bundle.zipPath).toBe(path.join(pkg.root, 'dist', 'lambda-bundles', 'fn.zip'));
    expect(code.warnings).toEqual([]);
  });

  it('bundles from source, with a warning that names the change, when the bundle is older than the sources', () => {
    // GIVEN an edited handler
    fs.writeFileSync(pkg.entry, `${FIXTURE_HANDLER_SOURCE}export const edited = true;\n`);
    // WHEN resolved
    const code = resolveFunctionCode({ entry: pkg.entry }, pkg.root);
    // THEN esbuild bundled the current source and the warning says why and how to fix it
    expect(code.bundling).toBe('source');
    expect(code.bundle.codeSizeBytes).toBeGreaterThan(0);
    expect(code.warnings).toEqual([
      expect.stringMatching(/prebuilt bundle fn is older than its sources \(lambdas\/fn\.ts changed\); bundled from/),
    ]);
    expect(code.warnings[0]).toContain('npm run build:lambdas');
  });

  it('deploys a stale bundle, with a warning, when bundling prebuilt is forced', () => {
    // GIVEN an edited handler and bundling: 'prebuilt'
    fs.writeFileSync(pkg.entry, `${FIXTURE_HANDLER_SOURCE}// edited\n`);
    // WHEN resolved / THEN the prebuilt archive is deployed anyway and the user is told
    const code = resolveFunctionCode({ entry: pkg.entry, bundling: 'prebuilt' }, pkg.root);
    expect(code.bundling).toBe('prebuilt');
    expect(code.warnings).toEqual([expect.stringContaining('deploying it anyway')]);
  });

  it('trusts the bundles of an installed package, and explains why it cannot bundle from source there', () => {
    // GIVEN a package that ships the bundles but not the handler's source
    const installed = createFixturePackage({ withSources: false });
    try {
      // WHEN resolved by default / THEN the bundle is deployed
      expect(resolveFunctionCode({ entry: installed.entry }, installed.root).bundling).toBe('prebuilt');
      // AND source bundling fails with the reason and the fix
      expect(() => resolveFunctionCode({ entry: installed.entry, bundling: 'source' }, installed.root)).toThrow(
        /is not in the installed package \(it ships the prebuilt bundles, not the handlers' sources\)\. Fix: leave/,
      );
    } finally {
      installed.remove();
    }
  });
});
