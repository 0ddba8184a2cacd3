/**
 * Where a `NodejsFunction`'s code comes from: a prebuilt bundle shipped in the package, or esbuild at synth time.
 */
import * as fs from 'fs';
import * as path from 'path';
import { EsbuildBundler, type BundleResult } from './bundler';
import { findPrebuiltBundle, libraryRoot, prebuiltResult, staleInputs, type PrebuiltBundle } from './prebuilt';
import { NODEJS_FUNCTION_DEFAULTS as D, type Bundling, type NodejsFunctionProps } from './props';
import { invalid } from '../validation';

/** The code a function deploys, how it was obtained, and what the user should know about it. */
export interface FunctionCode {
  readonly bundle: BundleResult;
  readonly bundling: Bundling;
  /** Construct warnings (a stale prebuilt bundle, bundler warnings). */
  readonly warnings: readonly string[];
}

/** At most this many changed inputs are named in a warning. */
const LISTED_CHANGES = 3;

/**
 * Source bundles made with the default bundler, by request: a process (one synth, one test file) runs esbuild at most
 * once per handler, however many stacks deploy it.
 */
const sourceBundles = new Map<string, BundleResult>();

/**
 * Resolves the code of a function:
 * - `bundling: 'prebuilt'` deploys the bundle the package ships for `entry`;
 * - `bundling: 'source'` bundles `entry` with `bundler` (default: esbuild) now;
 * - by default, the prebuilt bundle when the package ships one for `entry` and — in a source checkout — it was built
 *   from the current sources; otherwise the entry is bundled from source (with a warning when a stale prebuilt
 *   bundle was passed over). Passing a `bundler` means source bundling.
 *
 * @param packageRoot the package whose prebuilt bundles to consider (this library's; tests pass a fixture package)
 */
export function resolveFunctionCode(props: NodejsFunctionProps, packageRoot: string = libraryRoot()): FunctionCode {
  const entry = path.resolve(props.entry);
  const sourceMap = props.sourceMap ?? D.sourceMap;
  const prebuilt = props.bundler ? undefined : findPrebuiltBundle(entry, packageRoot);
  if (props.bundling === 'prebuilt') {
    if (props.bundler) {
      invalid(
        'NodejsFunction.bundler',
        'a bundler',
        "only applies to bundling: 'source'",
        'remove bundler or bundling',
      );
    }
    if (!prebuilt) {
      return invalid(
        'NodejsFunction.bundling',
        'prebuilt',
        `the package ships no prebuilt bundle for ${entry}`,
        "use bundling: 'source' for your own handlers",
      );
    }
    const stale = staleInputs(prebuilt) ?? [];
    return {
      bundle: prebuiltResult(prebuilt, sourceMap),
      bundling: 'prebuilt',
      warnings: staleWarning(prebuilt, stale),
    };
  }
  if (props.bundling === undefined && prebuilt) {
    const stale = staleInputs(prebuilt) ?? [];
    if (stale.length === 0) return { bundle: prebuiltResult(prebuilt, sourceMap), bundling: 'prebuilt', warnings: [] };
    const fromSource = bundleFromSource(props, entry, sourceMap, prebuilt);
    return { ...fromSource, warnings: [...staleWarning(prebuilt, stale, true), ...fromSource.warnings] };
  }
  return bundleFromSource(props, entry, sourceMap, prebuilt);
}

function bundleFromSource(
  props: NodejsFunctionProps,
  entry: string,
  sourceMap: boolean,
  prebuilt: PrebuiltBundle | undefined,
): FunctionCode {
  if (prebuilt && !fs.existsSync(entry)) {
    invalid(
      'NodejsFunction.bundling',
      'source',
      `${entry} is not in the installed package (it ships the prebuilt bundles, not the handlers' sources)`,
      'leave bundling unset, or clone the repository to bundle the handlers from source',
    );
  }
  const request = { entry, externalModules: props.externalModules ?? D.externalModules, sourceMap };
  let bundle: BundleResult;
  if (props.bundler) {
    bundle = props.bundler.bundle(request);
  } else {
    const key = JSON.stringify(request);
    bundle = sourceBundles.get(key) ?? new EsbuildBundler().bundle(request);
    sourceBundles.set(key, bundle);
  }
  return { bundle, bundling: 'source', warnings: bundle.warnings.map((w) => `esbuild: ${w}`) };
}

function staleWarning(prebuilt: PrebuiltBundle, changes: readonly string[], rebuilt = false): string[] {
  if (changes.length === 0) return [];
  const listed = changes.slice(0, LISTED_CHANGES).join(', ');
  const more = changes.length > LISTED_CHANGES ? ` and ${changes.length - LISTED_CHANGES} more` : '';
  const action = rebuilt ? 'bundled from source instead' : 'deploying it anyway (bundling: prebuilt)';
  return [
    `the prebuilt bundle ${prebuilt.record.name} is older than its sources (${listed}${more}); ${action}. ` +
      'Run `npm run build:lambdas` to rebuild the prebuilt bundles.',
  ];
}
