/**
 * `npm run docs`: writes the documentation rendered from the code (scripts/docs/generated-docs.ts).
 * `npm run docs -- --check`: exits 1, naming the files, when any of them is not current.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expectedDocs, REPO_ROOT } from './docs/generated-docs';

const check = process.argv.includes('--check');
const stale: string[] = [];
for (const [file, content] of expectedDocs()) {
  const target = path.join(REPO_ROOT, file);
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : undefined;
  if (current === content) continue;
  if (check) stale.push(file);
  else fs.writeFileSync(target, content);
  if (!check) console.log(`wrote ${file}`);
}
if (stale.length > 0) {
  console.error(`not current: ${stale.join(', ')} — run npm run docs`);
  process.exit(1);
}
