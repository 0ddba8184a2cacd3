import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Path of a Lambda entry under `lambdas/`, e.g. `lambdaEntry('gates/launch-gate')`: the TypeScript source when it is
 * present (repository, ts-node), else the compiled JavaScript next to the compiled library (`dist/`).
 */
export function lambdaEntry(name: string): string {
  const base = path.join(__dirname, '..', 'lambdas', name);
  for (const candidate of [`${base}.ts`, `${base}.js`]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`Lambda entry lambdas/${name} not found next to ${__dirname} (looked for .ts and .js)`);
}
