/**
 * How the Terraform harness installs hashicorp/aws (__tests__/support/terraform/environment.ts): from a filesystem
 * mirror when one is configured (CI here), otherwise from the registry through a plugin cache (a developer machine
 * with internet). The registry download itself cannot run on this offline machine; these tests pin the decision and
 * the configuration handed to Terraform.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_PLUGIN_DIR, providerInstallation } from './support/terraform/environment';
import { cliConfigText, terraformEnv } from './support/terraform/process';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-environment-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('providerInstallation', () => {
  it('uses the default mirror when it holds the provider and none is configured', () => {
    // GIVEN this machine's mirror at the default location / WHEN decided
    const installation = providerInstallation({
      defaultPluginDir: process.env.ECS_AMI_ROLLOUT_TF_PLUGIN_DIR || DEFAULT_PLUGIN_DIR,
      pluginCacheDir: path.join(tmp, 'cache'),
    });
    // THEN the provider comes from the mirror
    expect(installation).toEqual(expect.objectContaining({ kind: 'mirror' }));
  });

  it('falls back to the registry with a plugin cache when no mirror is configured or found', () => {
    // GIVEN no configured mirror and an empty default location
    const cache = path.join(tmp, 'plugin-cache');
    // WHEN decided
    const installation = providerInstallation({ defaultPluginDir: path.join(tmp, 'no-mirror'), pluginCacheDir: cache });
    // THEN terraform init installs from the registry into the (created) cache
    expect(installation).toEqual({ kind: 'registry', pluginCacheDir: cache });
    expect(fs.statSync(cache).isDirectory()).toBe(true);
  });

  it('insists on a configured mirror', () => {
    // GIVEN a configured mirror without the provider / WHEN decided / THEN the error says how to fix it
    expect(() =>
      providerInstallation({ pluginDir: tmp, defaultPluginDir: DEFAULT_PLUGIN_DIR, pluginCacheDir: tmp }),
    ).toThrow(/not in the Terraform filesystem mirror[\s\S]*or unset it to let terraform init download the provider/);
  });
});

describe('the Terraform CLI configuration', () => {
  const settings = (text: string): string[] =>
    text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);

  it('installs hashicorp/aws only from the mirror in mirror mode', () => {
    // GIVEN a mirror / WHEN rendered / THEN the filesystem mirror is the only source of hashicorp/aws
    const lines = settings(cliConfigText({ kind: 'mirror', pluginDir: '/mirror', providerPath: '/mirror/x' }));
    expect(lines).toEqual([
      'provider_installation {',
      'filesystem_mirror {',
      'path    = "/mirror"',
      'include = ["registry.terraform.io/hashicorp/aws"]',
      '}',
      'direct {',
      'exclude = ["registry.terraform.io/hashicorp/aws"]',
      '}',
      '}',
    ]);
  });

  it('keeps the default installation, with the plugin cache, in registry mode', () => {
    // GIVEN the registry mode / WHEN rendered / THEN only the cache is configured
    expect(settings(cliConfigText({ kind: 'registry', pluginCacheDir: '/cache' }))).toEqual([
      'plugin_cache_dir = "/cache"',
    ]);
  });
});

describe('terraformEnv', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  it('passes the proxy through only in registry mode, and never for the loopback stub', () => {
    // GIVEN a developer behind a proxy
    process.env.HTTPS_PROXY = 'http://proxy.example:3128';
    process.env.NO_PROXY = '.corp.example';
    // WHEN the child environments are built
    const mirror = terraformEnv('/cfg', tmp, 'eu-west-1', 'http://127.0.0.1:1');
    const registry = terraformEnv('/cfg', tmp, 'eu-west-1', 'http://127.0.0.1:1', { keepProxies: true });
    // THEN the mirror mode is hermetic, the registry mode can reach the registry, and the stub is never proxied
    expect(mirror.HTTPS_PROXY).toBeUndefined();
    expect(mirror.NO_PROXY).toBe('127.0.0.1,localhost');
    expect(registry.HTTPS_PROXY).toBe('http://proxy.example:3128');
    expect(registry.NO_PROXY?.split(',')).toEqual(['127.0.0.1', 'localhost', '.corp.example']);
  });
});
