/**
 * A consumer of the packed package: a fresh cdktf TypeScript app in a temp directory outside the repository, with its
 * own cdktf / constructs / @cdktf/provider-aws versions, whose main.ts is the README's construct example.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');

/** The versions a consumer app pins; deliberately not all the ones the repository develops with. */
export interface ConsumerVersions {
  readonly cdktf: string;
  readonly constructs: string;
  readonly providerAws: string;
}

export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs a command; rejects with its output on failure. The child gets no `npm_*` variables from a parent `npm run`
 * (they would configure the consumer's npm like ours) and CI=true.
 */
export async function run(file: string, args: readonly string[], cwd: string): Promise<CommandOutput> {
  const env: NodeJS.ProcessEnv = { CI: 'true' };
  for (const [key, value] of Object.entries(process.env)) if (!/^npm_/i.test(key)) env[key] = value;
  try {
    return await promisify(execFile)(file, [...args], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as Error & { stdout?: string; stderr?: string };
    throw new Error(`${file} ${args.join(' ')} failed in ${cwd}: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`, {
      cause: error,
    });
  }
}

/** `npm pack` of the repository into `destination` (runs prepack: library build, bundles from scratch). */
export async function packRepository(destination: string): Promise<string> {
  await run('npm', ['pack', '--pack-destination', destination, '--silent'], REPO_ROOT);
  const tarballs = fs.readdirSync(destination).filter((f) => f.endsWith('.tgz'));
  if (tarballs.length !== 1) throw new Error(`expected one tarball in ${destination}, found ${tarballs.join(', ')}`);
  return path.join(destination, tarballs[0]);
}

/** The ```ts block of the README section "1. As a construct in your cdktf app". */
export function readmeConstructExample(): string {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^### /m).find((s) => s.startsWith('1. As a construct in your cdktf app'));
  const code = section && /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error('README.md has no ```ts block under "### 1. As a construct in your cdktf app"');
  return code;
}

/** tsconfig.json of `cdktf init --template=typescript` (cdktf 0.21). */
const CDKTF_TEMPLATE_TSCONFIG = {
  compilerOptions: {
    alwaysStrict: true,
    declaration: true,
    experimentalDecorators: true,
    inlineSourceMap: true,
    inlineSources: true,
    lib: ['es2018'],
    module: 'CommonJS',
    noEmitOnError: true,
    noFallthroughCasesInSwitch: true,
    noImplicitAny: true,
    noImplicitReturns: true,
    noImplicitThis: true,
    noUnusedLocals: true,
    noUnusedParameters: true,
    resolveJsonModule: true,
    strict: true,
    strictNullChecks: true,
    strictPropertyInitialization: true,
    stripInternal: true,
    target: 'ES2018',
    incremental: true,
    skipLibCheck: true,
  },
  include: ['**/*.ts'],
  exclude: ['node_modules', 'cdktf.out'],
};

/** Creates the app (package.json, tsconfig.json, cdktf.json, main.ts) and installs it from the npm cache/registry. */
export async function createConsumerApp(tarball: string, versions: ConsumerVersions): Promise<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-ami-rollout-consumer-'));
  const write = (file: string, content: unknown): void =>
    fs.writeFileSync(
      path.join(dir, file),
      typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`,
    );
  const devVersions = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  write('package.json', {
    name: 'consumer-app',
    version: '1.0.0',
    private: true,
    dependencies: {
      '@cdktf/provider-aws': versions.providerAws,
      cdktf: versions.cdktf,
      constructs: versions.constructs,
      'ecs-ami-rollout': `file:${tarball}`,
    },
    devDependencies: {
      '@types/node': devVersions.devDependencies['@types/node'],
      typescript: devVersions.devDependencies.typescript,
    },
  });
  write('tsconfig.json', CDKTF_TEMPLATE_TSCONFIG);
  write('cdktf.json', {
    language: 'typescript',
    app: 'node main.js',
    projectId: 'consumer-app',
    sendCrashReports: 'false',
  });
  write('main.ts', readmeConstructExample());
  await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], dir);
  return dir;
}

/** Compiles main.ts with the app's own TypeScript and runs it (what `cdktf synth` does with `app: node main.js`). */
export async function synthesize(dir: string): Promise<void> {
  await run(path.join(dir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], dir);
  await run(process.execPath, ['main.js'], dir);
}

/** Every installed copy of `name` under `dir`'s node_modules trees (nested ones included), as package directories. */
export function installedCopies(dir: string, name: string): string[] {
  const found: string[] = [];
  const walk = (nodeModules: string): void => {
    if (!fs.existsSync(nodeModules)) return;
    for (const entry of fs.readdirSync(nodeModules)) {
      const scoped = entry.startsWith('@')
        ? fs.readdirSync(path.join(nodeModules, entry)).map((e) => `${entry}/${e}`)
        : [];
      for (const pkg of entry.startsWith('@') ? scoped : [entry]) {
        const pkgDir = path.join(nodeModules, pkg);
        if (pkg === name && fs.existsSync(path.join(pkgDir, 'package.json'))) found.push(pkgDir);
        walk(path.join(pkgDir, 'node_modules'));
      }
    }
  };
  walk(path.join(dir, 'node_modules'));
  return found;
}

/** `version` of an installed package directory. */
export function versionOf(pkgDir: string): string {
  return (JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Paths inside a .tgz, without the leading `package/`. */
export async function tarballFiles(tarball: string): Promise<string[]> {
  const { stdout } = await run('tar', ['-tzf', tarball], path.dirname(tarball));
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''))
    .sort();
}
