/**
 * `node -r ./scripts/register-ts.js main.ts`: runs TypeScript by transpiling each file with esbuild's transformSync
 * (the esbuild this repository already pins) — like `ts-node --swc` (transpile only, no type check; `npm run
 * typecheck` does that) but without loading the TypeScript compiler, which took about half of `npm run synth`.
 *
 * The code carries an inline source map; run with NODE_OPTIONS=--enable-source-maps for stack traces that point at
 * the TypeScript lines (off by default: parsing the maps costs ~0.4 s per synth).
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a require hook runs before any TypeScript: CommonJS only */
const fs = require('node:fs');
const { transformSync } = require('esbuild');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    target: 'node20',
    sourcefile: filename,
    sourcemap: 'inline',
  });
  module._compile(code, filename);
};
