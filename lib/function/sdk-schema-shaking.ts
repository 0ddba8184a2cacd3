/**
 * Lets esbuild drop the AWS SDK v3 schemas a bundle never uses.
 *
 * Why: an SDK v3 client describes every shape of its service in `dist-es/schemas/schemas_0.js`, one array literal per
 * shape whose trait objects use computed keys: `{ [_xN]: "Name" }` with `const _xN = "xmlName"` at the top of the
 * module. esbuild cannot prove a computed key free of side effects (it could call `toString`), so it keeps every
 * shape: calling EC2 `DescribeInstances` put 560 KB of EC2 schemas (of the client's 1.3 MB) into each bundle, half of
 * the code, and parsing them dominated the handler's init time.
 *
 * What: in those modules only, a computed key whose name is a module-level string constant is replaced by that
 * string: `{ [_xN]: v }` → `{ "xmlName": v }`. That is the same object (a computed key is converted with ToPropertyKey,
 * which returns a string unchanged), and the literal is now pure, so esbuild drops the unused ones. Keys it cannot
 * resolve stay as they are. If a future SDK changes its code generation, the transform stops matching and the bundles
 * grow again — the size limits in `__tests__/lib/function/prebuilt-bundles.test.ts` catch that.
 *
 * esbuild's synchronous API cannot run plugins, so this applies to the prebuilt bundles (`npm run build:lambdas`),
 * not to `bundling: 'source'` at synth time.
 */
import * as fs from 'fs';
import type { Plugin } from 'esbuild';

/** The SDK's schema modules: `@aws-sdk/<package>/dist-es/**\/schemas/schemas_<n>.js`. */
export const SDK_SCHEMA_MODULE =
  /[\\/]@aws-sdk[\\/][^\\/]+[\\/]dist-es[\\/](?:[^\\/]+[\\/])*schemas[\\/]schemas_\d+\.js$/;

/** `const _xN = "xmlName";` — only simple double-quoted strings without escapes. */
const STRING_CONSTANT = /^const (_[A-Za-z0-9_$]+) = ("[^"\\\n]*");$/gm;
/** A computed property key that is a bare identifier: `[_xN]:`. */
const COMPUTED_KEY = /\[(_[A-Za-z0-9_$]+)\]:/g;

/** Result of {@link inlineConstantKeys}. */
export interface InlinedKeys {
  readonly code: string;
  /** How many computed keys were replaced. */
  readonly replaced: number;
}

/** Replaces computed keys `[name]:` whose `name` is a module-level string constant by the string literal. */
export function inlineConstantKeys(source: string): InlinedKeys {
  const constants = new Map<string, string>();
  for (const [, name, literal] of source.matchAll(STRING_CONSTANT)) constants.set(name, literal);
  let replaced = 0;
  const code = source.replace(COMPUTED_KEY, (key: string, name: string) => {
    const literal = constants.get(name);
    if (literal === undefined) return key;
    replaced += 1;
    return `${literal}:`;
  });
  return { code, replaced };
}

/** esbuild plugin applying {@link inlineConstantKeys} to the SDK's schema modules. */
export function sdkSchemaShaking(): Plugin {
  return {
    name: 'ecs-ami-rollout:sdk-schema-shaking',
    setup(build) {
      build.onLoad({ filter: SDK_SCHEMA_MODULE }, async (args) => ({
        contents: inlineConstantKeys(await fs.promises.readFile(args.path, 'utf8')).code,
        loader: 'js',
      }));
    },
  };
}
