/**
 * Where the harness gets Terraform and the hashicorp/aws provider from.
 *
 * - A filesystem mirror when one is configured: `ECS_AMI_ROLLOUT_TF_PLUGIN_DIR`, or `/opt/tf-plugins` when it holds
 *   the provider (this project's CI machines, which have no internet). A configured mirror without the provider is an
 *   error: Terraform tests fail, never skip.
 * - Otherwise the registry, as `terraform init` does by default, with a plugin cache so the ~700 MB provider is
 *   downloaded once per machine rather than once per test: `TF_PLUGIN_CACHE_DIR` if set, else
 *   `~/.terraform.d/plugin-cache` (Terraform's conventional location).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCommand } from './process';

/** The pinned hashicorp/aws provider version (see docs/CONTRIBUTING.md). */
export const AWS_PROVIDER_VERSION = '5.100.0';
/** Where this project's machines keep the filesystem mirror. */
export const DEFAULT_PLUGIN_DIR = '/opt/tf-plugins';
const MIN_TERRAFORM_VERSION: readonly [number, number] = [1, 11];

/** How `terraform init` installs hashicorp/aws. */
export type ProviderInstallation =
  | { readonly kind: 'mirror'; readonly pluginDir: string; readonly providerPath: string }
  | { readonly kind: 'registry'; readonly pluginCacheDir: string };

/** Checked environment: the Terraform version and how the provider is installed. */
export interface TerraformEnvironment {
  readonly terraformVersion: string;
  readonly provider: ProviderInstallation;
}

/** Where to look (for tests of the check itself). */
export interface EnvironmentCheckOptions {
  /** A mirror that must hold the provider. @default env ECS_AMI_ROLLOUT_TF_PLUGIN_DIR, else none */
  readonly pluginDir?: string;
  /** Used when it holds the provider and no mirror is configured. @default {@link DEFAULT_PLUGIN_DIR} */
  readonly defaultPluginDir?: string;
  /** Plugin cache of the registry mode. @default env TF_PLUGIN_CACHE_DIR, else ~/.terraform.d/plugin-cache */
  readonly pluginCacheDir?: string;
  /** PATH used to find `terraform`. @default process.env.PATH */
  readonly searchPath?: string;
}

const environmentChecks = new Map<string, Promise<TerraformEnvironment>>();

/**
 * Verifies (once per process and options) that `terraform` >= 1.11 is on PATH and decides how the provider is
 * installed. Throws an Error that says what is missing and how to fix it.
 */
export function checkTerraformEnvironment(options: EnvironmentCheckOptions = {}): Promise<TerraformEnvironment> {
  const resolved = {
    pluginDir: options.pluginDir ?? (process.env.ECS_AMI_ROLLOUT_TF_PLUGIN_DIR || undefined),
    defaultPluginDir: options.defaultPluginDir ?? DEFAULT_PLUGIN_DIR,
    pluginCacheDir:
      options.pluginCacheDir ??
      (process.env.TF_PLUGIN_CACHE_DIR || path.join(os.homedir(), '.terraform.d', 'plugin-cache')),
    searchPath: options.searchPath ?? process.env.PATH ?? '',
  };
  const key = JSON.stringify(resolved);
  if (!environmentChecks.has(key)) environmentChecks.set(key, checkEnvironment(resolved));
  return environmentChecks.get(key)!;
}

async function checkEnvironment(options: {
  pluginDir?: string;
  defaultPluginDir: string;
  pluginCacheDir: string;
  searchPath: string;
}): Promise<TerraformEnvironment> {
  const terraformVersion = await checkTerraformVersion(options.searchPath);
  return { terraformVersion, provider: providerInstallation(options) };
}

/** The configured mirror (which must hold the provider), the default mirror if it does, else the registry. */
export function providerInstallation(options: {
  pluginDir?: string;
  defaultPluginDir: string;
  pluginCacheDir: string;
}): ProviderInstallation {
  if (options.pluginDir !== undefined) {
    return { kind: 'mirror', pluginDir: options.pluginDir, providerPath: findProviderInMirror(options.pluginDir) };
  }
  const fromDefault = providerInMirror(options.defaultPluginDir);
  if (fromDefault) return { kind: 'mirror', pluginDir: options.defaultPluginDir, providerPath: fromDefault };
  fs.mkdirSync(options.pluginCacheDir, { recursive: true });
  return { kind: 'registry', pluginCacheDir: options.pluginCacheDir };
}

async function checkTerraformVersion(searchPath: string): Promise<string> {
  const run = await runCommand(['version', '-json'], process.cwd(), { PATH: searchPath }, 30_000).catch(
    (err: NodeJS.ErrnoException) => {
      throw new Error(
        err.code === 'ENOENT'
          ? `Terraform CLI not found on PATH (${searchPath}). Install Terraform ${MIN_TERRAFORM_VERSION.join('.')} ` +
              '(https://developer.hashicorp.com/terraform/install) so that `terraform version` works, then re-run the tests.'
          : `Could not run \`terraform version\`: ${err.message}`,
      );
    },
  );
  const terraformVersion = String((JSON.parse(run.stdout) as { terraform_version?: string }).terraform_version);
  const [major, minor] = terraformVersion.split('.').map(Number);
  if (major < MIN_TERRAFORM_VERSION[0] || (major === MIN_TERRAFORM_VERSION[0] && minor < MIN_TERRAFORM_VERSION[1])) {
    throw new Error(
      `Terraform ${terraformVersion} is too old: install Terraform >= ${MIN_TERRAFORM_VERSION.join('.')}.`,
    );
  }
  return terraformVersion;
}

function mirrorPaths(pluginDir: string): { platform: string; unpacked: string; packed: string } {
  const platform = `${process.platform === 'win32' ? 'windows' : process.platform}_${
    process.arch === 'x64' ? 'amd64' : process.arch
  }`;
  const base = path.join(pluginDir, 'registry.terraform.io', 'hashicorp', 'aws');
  return {
    platform,
    unpacked: path.join(base, AWS_PROVIDER_VERSION, platform),
    packed: path.join(base, `terraform-provider-aws_${AWS_PROVIDER_VERSION}_${platform}.zip`),
  };
}

function providerInMirror(pluginDir: string): string | undefined {
  const { unpacked, packed } = mirrorPaths(pluginDir);
  const binary =
    fs.existsSync(unpacked) && fs.readdirSync(unpacked).find((f) => f.startsWith('terraform-provider-aws'));
  if (binary) return path.join(unpacked, binary);
  return fs.existsSync(packed) ? packed : undefined;
}

function findProviderInMirror(pluginDir: string): string {
  const found = providerInMirror(pluginDir);
  if (found) return found;
  const { platform, unpacked, packed } = mirrorPaths(pluginDir);
  throw new Error(
    `The hashicorp/aws ${AWS_PROVIDER_VERSION} provider for ${platform} is not in the Terraform filesystem mirror ` +
      `${pluginDir} (looked for ${unpacked}/terraform-provider-aws_v${AWS_PROVIDER_VERSION}_x5 and ${packed}). ` +
      `Fix: on a machine with internet run \`terraform providers mirror -platform=${platform} <dir>\` ` +
      `in a configuration that requires hashicorp/aws ${AWS_PROVIDER_VERSION} and copy <dir> to ${pluginDir}, ` +
      'or point ECS_AMI_ROLLOUT_TF_PLUGIN_DIR at a mirror that has it, or unset it to let terraform init download ' +
      'the provider.',
  );
}
