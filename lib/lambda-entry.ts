import * as path from 'node:path';
import { libraryRoot } from './function/prebuilt';

/**
 * The product's Lambda handlers, by entry name (`lambdas/<name>.ts`). `npm run build:lambdas` prebuilds each into
 * `dist/lambda-bundles/<basename>.zip`, which the constructs deploy by default.
 */
export const PRODUCT_FUNCTIONS = [
  'gates/launch-gate',
  'gates/drain-gate',
  'watcher/ami-watcher',
  'monitor/agent-monitor',
] as const;

/** Entry name of a product handler, e.g. `gates/launch-gate`. */
export type ProductFunction = (typeof PRODUCT_FUNCTIONS)[number];

/**
 * Path of a product handler's TypeScript entry, e.g. `lambdaEntry('gates/launch-gate')`. `NodejsFunction` deploys the
 * prebuilt bundle built from it; the file itself exists only in a source checkout (the package ships the bundles, not
 * the sources), where `bundling: 'source'` bundles it at synth time.
 */
export function lambdaEntry(name: ProductFunction): string {
  return path.join(libraryRoot(__dirname), 'lambdas', `${name}.ts`);
}
