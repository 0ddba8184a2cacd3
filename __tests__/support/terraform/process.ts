/**
 * How the harness runs Terraform hermetically: the CLI config with the filesystem mirror, the child environment, and
 * the asynchronous process runner. Shared with tests that drive the cdktf CLI (`cdktf diff`).
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { ProviderInstallation } from './environment';

/**
 * The Terraform CLI config: with a mirror (or a mirror directory), hashicorp/aws is installed only from it, without
 * registry access; in registry mode, `terraform init` installs it normally, through the shared plugin cache.
 */
export function cliConfigText(installation: ProviderInstallation | string): string {
  if (typeof installation !== 'string' && installation.kind === 'registry') {
    return `plugin_cache_dir = ${JSON.stringify(installation.pluginCacheDir)}
`;
  }
  const pluginDir = typeof installation === 'string' ? installation : installation.pluginDir;
  return `provider_installation {
  filesystem_mirror {
    path    = ${JSON.stringify(pluginDir)}
    include = ["registry.terraform.io/hashicorp/aws"]
  }
  direct {
    exclude = ["registry.terraform.io/hashicorp/aws"]
  }
}
`;
}

/**
 * The parent's environment minus AWS_*, TF_* and proxies, plus the hermetic settings. `keepProxies` (registry mode)
 * keeps the proxy settings so `terraform init` can reach the registry; the loopback stub stays in NO_PROXY.
 */
export function terraformEnv(
  cliConfig: string,
  tmp: string,
  region: string,
  stubUrl: string,
  options: { readonly keepProxies?: boolean } = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  const isProxy = (key: string): boolean => /^(https?|all|no)_proxy$/i.test(key);
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(AWS_|TF_|CHECKPOINT_)/.test(key) && (options.keepProxies || !isProxy(key))) env[key] = value;
  }
  const noProxy = ['127.0.0.1', 'localhost', ...(options.keepProxies ? [process.env.NO_PROXY ?? ''] : [])];
  const tfLog = process.env.ECS_AMI_ROLLOUT_TF_LOG;
  return {
    ...env,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    ...(tfLog ? { TF_LOG: tfLog, TF_LOG_PATH: path.join(tmp, 'terraform.log') } : {}),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_REGION: region,
    // Catch-all for services outside STUB_ENDPOINT_SERVICES: the SDK's global endpoint override.
    AWS_ENDPOINT_URL: stubUrl,
    // Never read the developer's ~/.aws files.
    AWS_CONFIG_FILE: path.join(tmp, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, 'no-aws-credentials'),
    NO_PROXY: noProxy.filter(Boolean).join(','),
    ...(options.keepProxies ? { no_proxy: noProxy.filter(Boolean).join(',') } : {}),
  };
}

export interface CommandResult {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs terraform asynchronously (a sync spawn would block the in-process stub server and deadlock). */
export function runCommand(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => stdout.push(d));
    child.stderr.on('data', (d: Buffer) => stderr.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM'); // terraform stops its provider processes on SIGTERM
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const timeoutNote = timedOut ? `\n[terraform-harness] terraform ${args[0]} timed out after ${timeoutMs} ms` : '';
      resolve({
        exitCode: timedOut ? null : code,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8') + timeoutNote,
      });
    });
  });
}
