/**
 * How the harness prepares a Terraform working directory: find the configuration (cdktf stack dir, cdktf outdir or HCL
 * dir), copy it with the local module sources it needs, and write the test-only overrides (fake credentials, skip_*
 * flags, stub endpoints, throw-away local backend) on every `provider "aws"` block.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TerraformRunOptions } from '../terraform-harness';

export const OVERRIDE_FILE = 'zz_test_override.tf.json';

export const DEFAULT_PROVIDER_FILE = 'zz_test_default_provider.tf.json';

export const STUB_ENDPOINT_SERVICES = [
  'acm',
  'applicationautoscaling',
  'autoscaling',
  'cloudformation',
  'cloudwatch',
  'dynamodb',
  'ec2',
  'ecr',
  'ecs',
  'elbv2',
  'events',
  'iam',
  'kms',
  'lambda',
  'logs',
  'resourcegroupstaggingapi',
  'route53',
  's3',
  'scheduler',
  'secretsmanager',
  'servicediscovery',
  'sfn',
  'sns',
  'sqs',
  'ssm',
  'sts',
] as const;

/** A cdktf stack dir (cdk.tf.json), a cdktf outdir (manifest.json → one stack) or a plain HCL dir. */
export function resolveConfigDir(dir: string, stackName?: string): string {
  if (!fs.existsSync(dir)) throw new Error(`terraform-harness: directory ${dir} does not exist`);
  const manifestFile = path.join(dir, 'manifest.json');
  if (!fs.existsSync(path.join(dir, 'cdk.tf.json')) && fs.existsSync(manifestFile)) {
    const stacks = (
      JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as { stacks: Record<string, { workingDirectory: string }> }
    ).stacks;
    const names = Object.keys(stacks);
    const name = stackName ?? (names.length === 1 ? names[0] : undefined);
    if (!name || !stacks[name]) {
      throw new Error(`terraform-harness: ${dir} holds stacks [${names.join(', ')}]; pass stackName to pick one`);
    }
    return path.join(dir, stacks[name].workingDirectory);
  }
  if (!fs.readdirSync(dir).some((f) => f.endsWith('.tf') || f.endsWith('.tf.json'))) {
    throw new Error(`terraform-harness: ${dir} contains no cdk.tf.json, manifest.json, *.tf or *.tf.json`);
  }
  return dir;
}

const COPY_EXCLUDES = /^(\.terraform|\.terraform\.lock\.hcl|\.git|node_modules|cdktf\.out|.*\.tfstate(\..*)?|tfplan)$/;

/**
 * Copies `dir` into `dest`, together with the closest common ancestor of every local module (`source = "../x"`) it
 * uses, so relative module paths keep working. Returns the copy of `dir`.
 */
export function copyConfig(dir: string, dest: string): string {
  const seen = new Set<string>();
  const visit = (moduleDir: string): void => {
    if (seen.has(moduleDir)) return;
    seen.add(moduleDir);
    localModuleSources(moduleDir).forEach((source) => visit(path.resolve(moduleDir, source)));
  };
  visit(dir);
  let root = dir;
  for (const d of seen) while (path.relative(root, d).startsWith('..')) root = path.dirname(root);
  if (root === path.parse(root).root) throw new Error(`terraform-harness: local modules of ${dir} reach up to ${root}`);
  fs.cpSync(root, dest, { recursive: true, filter: (src) => src === root || !COPY_EXCLUDES.test(path.basename(src)) });
  return path.join(dest, path.relative(root, dir));
}

function configFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => (f.endsWith('.tf') || f.endsWith('.tf.json')) && !/(^|_)override\.tf(\.json)?$/.test(f))
    .map((f) => path.join(dir, f));
}

function localModuleSources(dir: string): string[] {
  const sources: string[] = [];
  for (const file of configFiles(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    if (file.endsWith('.json')) {
      const modules =
        (JSON.parse(text) as { module?: Record<string, { source?: string } | { source?: string }[]> }).module ?? {};
      Object.values(modules)
        .flat()
        .forEach((m) => m.source && sources.push(m.source));
    } else {
      for (const m of stripHclComments(text).matchAll(/\bsource\s*=\s*"([^"]+)"/g)) sources.push(m[1]);
    }
  }
  return sources.filter((s) => s.startsWith('./') || s.startsWith('../'));
}

/** Aliases of the root module's `provider "aws"` blocks ('' = the default configuration). */
function awsProviderAliases(dir: string): Set<string> {
  const aliases = new Set<string>();
  for (const file of configFiles(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    if (file.endsWith('.json')) {
      const aws = (JSON.parse(text) as { provider?: { aws?: { alias?: string } | { alias?: string }[] } }).provider
        ?.aws;
      [aws ?? []].flat().forEach((p) => aliases.add(p.alias ?? ''));
      continue;
    }
    const hcl = stripHclComments(text);
    for (const m of hcl.matchAll(/\bprovider\s+"aws"\s*\{/g)) {
      const topLevel = topLevelBody(hcl, (m.index ?? 0) + m[0].length);
      aliases.add(/(^|\n)\s*alias\s*=\s*"([^"]+)"/.exec(topLevel)?.[2] ?? '');
    }
  }
  return aliases;
}

/** The text of a block body (from just after `{`) without its nested blocks/objects. */
function topLevelBody(text: string, from: number): string {
  let depth = 0;
  let out = '';
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && depth-- === 0) break;
    if (depth === 0) out += c;
  }
  return out;
}

function stripHclComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*(#|\/\/).*$/gm, '');
}

export function writeTestOverrides(
  workDir: string,
  stubUrl: string,
  statePath: string,
  options: TerraformRunOptions,
): void {
  const aliases = awsProviderAliases(workDir);
  (options.providerAliases ?? []).forEach((a) => aliases.add(a));
  const settings = {
    access_key: 'AKIASTUBTESTACCESSKEY',
    secret_key: 'stub-secret-access-key-for-offline-tests',
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: 'true',
    skip_region_validation: true,
    s3_use_path_style: true,
    max_retries: 2,
    endpoints: [Object.fromEntries(STUB_ENDPOINT_SERVICES.map((s) => [s, stubUrl]))],
  };
  if (!aliases.has('')) {
    // An override needs a base block; a config without a default provider block gets a real (non-override) one.
    fs.writeFileSync(
      path.join(workDir, DEFAULT_PROVIDER_FILE),
      JSON.stringify({ provider: { aws: [{ region: options.region ?? 'us-east-1' }] } }, null, 2),
    );
    aliases.add('');
  }
  const providers = [...aliases].map((alias) => (alias ? { alias, ...settings } : settings));
  const override = { terraform: { backend: { local: { path: statePath } } }, provider: { aws: providers } };
  fs.writeFileSync(path.join(workDir, OVERRIDE_FILE), JSON.stringify(override, null, 2));
}
