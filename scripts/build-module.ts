/**
 * `npm run build:module`: synthesizes the plain Terraform module into terraform-module/ (see docs/terraform-module.md)
 * and regenerates the inputs/outputs reference in terraform-module/README.md.
 *
 *   ts-node --swc scripts/build-module.ts [--out <dir>] [--check]
 *
 * --check builds into a temporary directory and fails (exit 1) when it differs from the committed module: the drift
 * check for CI (scripts/check-module-drift.sh).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildFleetModule } from './module/fleet-module';
import { MODULE_PARTS } from './module/module-parts';
import { renderModule, writeModule } from './module/render';
import { updateReadme } from './module-docs';

export const MODULE_DIR = path.join(__dirname, '..', 'terraform-module');

/**
 * cdktf warns (two lines: the warning, then the expression) about its own `"${a}-${b}"` templates inside `for`
 * expressions; the rendered output is correct (the example plans prove it), so the pair is dropped.
 */
const CDKTF_ESCAPE_WARNING = /^You're using escape sequences/;

/** Synthesizes and renders the module into `outDir`; the README (if present there) gets its generated section. */
export function buildModule(outDir: string): void {
  const synthDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-ami-rollout-module-'));
  const warn = console.warn;
  let dropNext = false;
  console.warn = (...args: unknown[]) => {
    const drop = dropNext || CDKTF_ESCAPE_WARNING.test(String(args[0]));
    dropNext = !dropNext && drop;
    if (!drop) warn(...args);
  };
  try {
    const { app, stack } = buildFleetModule(synthDir, MODULE_PARTS);
    app.synth();
    writeModule(renderModule(path.join(synthDir, 'stacks', stack.node.id)), outDir);
    updateReadme(outDir);
  } finally {
    console.warn = warn;
    fs.rmSync(synthDir, { recursive: true, force: true });
  }
}

/** Relative paths of every file under `dir`, sorted. */
export function listFiles(dir: string, base = dir): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? listFiles(path.join(dir, e.name), base) : [path.relative(base, path.join(dir, e.name))],
    )
    .sort();
}

/** Files that differ between two module directories (missing on either side counts). */
export function diffModules(expectedDir: string, actualDir: string): string[] {
  const names = [...new Set([...listFiles(expectedDir), ...listFiles(actualDir)])].sort();
  return names.filter((name) => {
    const a = path.join(expectedDir, name);
    const b = path.join(actualDir, name);
    return !fs.existsSync(a) || !fs.existsSync(b) || !fs.readFileSync(a).equals(fs.readFileSync(b));
  });
}

function main(argv: string[]): void {
  const outIndex = argv.indexOf('--out');
  const outDir = outIndex >= 0 ? path.resolve(argv[outIndex + 1]) : MODULE_DIR;
  if (!argv.includes('--check')) {
    const start = Date.now();
    buildModule(outDir);
    console.log(
      `terraform module written to ${path.relative(process.cwd(), outDir) || '.'} in ${Date.now() - start} ms`,
    );
    return;
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-ami-rollout-module-check-'));
  try {
    if (fs.existsSync(path.join(outDir, 'README.md')))
      fs.copyFileSync(path.join(outDir, 'README.md'), path.join(tmp, 'README.md'));
    buildModule(tmp);
    const changed = diffModules(outDir, tmp);
    if (changed.length > 0) {
      console.error(
        `terraform-module/ is out of date (${changed.join(', ')}). Run \`npm run build:module\` and commit the result.`,
      );
      process.exit(1);
    }
    console.log('terraform-module/ is up to date');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) main(process.argv.slice(2));
