/**
 * Runs REAL Terraform (init → validate → plan -out → show -json) offline against a synthesized cdktf stack or a plain
 * HCL directory, so tests can assert on what Terraform itself plans.
 *
 * How it stays offline and hermetic:
 * - the directory is copied to a throw-away temp dir (with the ancestors its local `module` sources need);
 * - a CLI config (TF_CLI_CONFIG_FILE) installs hashicorp/aws only from the filesystem mirror when one is configured
 *   (`ECS_AMI_ROLLOUT_TF_PLUGIN_DIR`, or `/opt/tf-plugins` when it holds the provider): `terraform init` symlinks
 *   the binary, no download; without a mirror, init downloads it once into a plugin cache (`terraform/environment.ts`);
 * - `zz_test_override.tf.json` (Terraform override-file semantics) gives every `provider "aws"` block fake credentials,
 *   the `skip_*` flags and endpoints pointing at the loopback {@link startAwsStubServer}, and moves the backend to a
 *   temp `local` state path;
 * - child processes get no AWS_*, TF_* or proxy variables from the parent, and `AWS_ENDPOINT_URL` = the stub, which the
 *   provider honours as a catch-all for services not listed in the endpoints block: nothing can reach real AWS.
 *
 * Cost: the aws provider binary is ~700 MB and every provider start takes seconds, so one full run of a small stack is
 * roughly 20-25 s on 2 cores (init ≈ 2 s, validate ≈ 7 s, plan ≈ 12 s, show ≈ 3 s). Plan once per stack in `beforeAll`,
 * and pass `validate: false` when the validate output is not under test. Use {@link TERRAFORM_TEST_TIMEOUT_MS}.
 *
 * Debugging: `ECS_AMI_ROLLOUT_KEEP_TF_WORKDIR=1` keeps (and logs) the temp dir; `ECS_AMI_ROLLOUT_TF_LOG=debug` sets
 * TF_LOG and writes `terraform.log` there.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing, TerraformStack } from 'cdktf';
import { AwsStubServer, AwsStubServerOptions, StubRequest, startAwsStubServer } from './aws-stub-server';
import {
  PlanJson,
  ResourceChange,
  dataSourcesOfType,
  plannedOutputs,
  resourceByAddress,
  resourceChanges,
  resourcesOfType,
} from './terraform/plan-json';
import { checkTerraformEnvironment } from './terraform/environment';
import { cliConfigText, runCommand, terraformEnv } from './terraform/process';
import { copyConfig, resolveConfigDir, writeTestOverrides } from './terraform/workspace-files';

/** Jest timeout for one test that runs a full init/validate/plan/show (provider starts are slow, CI may be loaded). */
export const TERRAFORM_TEST_TIMEOUT_MS = 240_000;
const INIT_ARGS = ['init', '-input=false', '-no-color'] as const;
const VALIDATE_ARGS = ['validate', '-no-color'] as const;

export interface TerraformRunOptions {
  /** Root-module variables, written to a `.tfvars.json` file passed with `-var-file` to plan. @default none */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Extra var files (relative paths resolve against the source directory). @default none */
  readonly varFiles?: readonly string[];
  /** Extra `terraform plan` arguments, e.g. `['-refresh=false']`. @default none */
  readonly planArgs?: readonly string[];
  /** Run `terraform validate` before plan (costs ≈ 7 s; plan validates too). @default true */
  readonly validate?: boolean;
  /** An already-started stub to use (the caller closes it). @default a stub started with `stubOptions` for this run */
  readonly stub?: AwsStubServer;
  /** Options for the per-run stub when `stub` is not given. @default defaults of {@link startAwsStubServer} */
  readonly stubOptions?: AwsStubServerOptions;
  /**
   * Throw when the stub saw an operation it has no handler for, even if Terraform tolerated the error.
   * @default true
   */
  readonly failOnUnhandledStubRequests?: boolean;
  /** Aliases of `provider "aws"` blocks that auto-detection misses. @default none (detected from *.tf / *.tf.json) */
  readonly providerAliases?: readonly string[];
  /** AWS_REGION for providers that set no region (also used for a generated default provider). @default 'us-east-1' */
  readonly region?: string;
  /** For a cdktf outdir (with manifest.json) holding several stacks: which one. @default the only stack */
  readonly stackName?: string;
  /** Timeout of each terraform command. @default 180_000 */
  readonly commandTimeoutMs?: number;
}

/** Wall-clock milliseconds of each stage. */
export interface StageTimings {
  readonly initMs: number;
  readonly validateMs: number;
  readonly planMs: number;
  readonly showMs: number;
  readonly totalMs: number;
}

export interface PlanResult {
  /** `terraform show -json` of the saved plan. Sensitive values are in clear text there. */
  readonly plan: PlanJson;
  /** stdout + stderr of `terraform validate` ('' when `validate: false`). */
  readonly validateOutput: string;
  /** Human-readable `terraform plan` output. */
  readonly planOutput: string;
  /** AWS API calls Terraform made during this run (plus those of concurrent runs sharing an explicit `stub`). */
  readonly stubRequests: readonly StubRequest[];
  readonly timings: StageTimings;
  /** `resource_changes` entries, optionally of one type. */
  resourceChanges(type?: string): ResourceChange[];
  /** Planned `after` values of managed resources of one type, in all modules. */
  resourcesOfType<T = Record<string, unknown>>(type: string): T[];
  /** Planned `after` value of one managed resource address, e.g. `aws_iam_role.this["a"]`; throws if absent. */
  resource<T = Record<string, unknown>>(address: string): T;
  /** Values of data sources of one type read at plan time (or their planned values when deferred to apply). */
  dataSourcesOfType<T = Record<string, unknown>>(type: string): T[];
  /** Planned root-module output values. */
  outputs(): Record<string, unknown>;
}

export type TerraformStage = 'init' | 'validate' | 'plan' | 'show';

/** A terraform command that exited non-zero (or timed out). `message` contains its output. */
export class TerraformCommandError extends Error {
  constructor(
    readonly stage: TerraformStage,
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
    readonly unhandledStubRequests: readonly StubRequest[],
  ) {
    const unhandled = unhandledStubRequests.map((r) => `${r.service}.${r.operation}`);
    super(
      `terraform ${stage} failed (exit ${exitCode ?? 'timeout'}):\n${(stderr.trim() || stdout.trim()).slice(0, 8000)}` +
        (unhandled.length ? `\nAWS stub had no handler for: ${[...new Set(unhandled)].join(', ')}` : ''),
    );
    this.name = 'TerraformCommandError';
  }
  /** stdout + stderr, for `toMatch(/message/)`. */
  get output(): string {
    return `${this.stdout}\n${this.stderr}`;
  }
}

/** init → validate → plan -out → show -json. Throws {@link TerraformCommandError} when a stage fails. */
export async function planStack(dir: string, options: TerraformRunOptions = {}): Promise<PlanResult> {
  return withWorkspace(dir, options, async (ws) => {
    const timings = { initMs: 0, validateMs: 0, planMs: 0, showMs: 0, totalMs: 0 };
    const start = Date.now();
    const stage = async (
      name: TerraformStage,
      args: readonly string[],
    ): Promise<{ stdout: string; stderr: string }> => {
      const t0 = Date.now();
      const out = await ws.run(name, args);
      timings[`${name}Ms`] = Date.now() - t0;
      return out;
    };
    await stage('init', INIT_ARGS);
    const validated = options.validate === false ? undefined : await stage('validate', VALIDATE_ARGS);
    const planOutput = (await stage('plan', ws.planArgs)).stdout;
    const plan = JSON.parse((await stage('show', ['show', '-json', '-no-color', ws.planFile])).stdout) as PlanJson;
    timings.totalMs = Date.now() - start;
    ws.assertNoUnhandledStubRequests();
    return {
      plan,
      validateOutput: validated ? `${validated.stdout}${validated.stderr}` : '',
      planOutput,
      stubRequests: ws.stubRequests(),
      timings,
      resourceChanges: (type) => resourceChanges(plan, type),
      resourcesOfType: (type) => resourcesOfType(plan, type),
      resource: (address) => resourceByAddress(plan, address),
      dataSourcesOfType: (type) => dataSourcesOfType(plan, type),
      outputs: () => plannedOutputs(plan),
    };
  });
}

/** init → validate only; returns validate's output. Throws {@link TerraformCommandError} when a stage fails. */
export async function validateOnly(dir: string, options: TerraformRunOptions = {}): Promise<string> {
  return withWorkspace(dir, options, async (ws) => {
    await ws.run('init', INIT_ARGS);
    const validated = await ws.run('validate', VALIDATE_ARGS);
    return `${validated.stdout}${validated.stderr}`;
  });
}

/**
 * Runs init → validate → plan and returns the first failure (e.g. a variable validation rule rejecting a bad value:
 * `expect(failure.output).toMatch(/the module's message/)`). Throws if every stage succeeds.
 */
export async function expectTerraformFailure(
  dir: string,
  options: TerraformRunOptions = {},
): Promise<TerraformCommandError> {
  return withWorkspace(dir, { ...options, failOnUnhandledStubRequests: false }, async (ws) => {
    try {
      await ws.run('init', INIT_ARGS);
      if (options.validate !== false) await ws.run('validate', VALIDATE_ARGS);
      await ws.run('plan', ws.planArgs);
    } catch (err) {
      if (err instanceof TerraformCommandError) return err;
      throw err;
    }
    throw new Error(`Expected terraform to fail for ${dir}, but init, validate and plan all succeeded.`);
  });
}

/** Synthesizes a cdktf stack (`Testing.fullSynth`) and plans it; the synth output dir is removed afterwards. */
export async function planCdktfStack(stack: TerraformStack, options: TerraformRunOptions = {}): Promise<PlanResult> {
  const outdir = Testing.fullSynth(stack);
  try {
    return await planStack(outdir, { stackName: stack.node.id, ...options });
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

interface Workspace {
  readonly planFile: string;
  readonly planArgs: readonly string[];
  run(stage: TerraformStage, args: readonly string[]): Promise<{ stdout: string; stderr: string }>;
  stubRequests(): StubRequest[];
  assertNoUnhandledStubRequests(): void;
}

async function withWorkspace<T>(
  dir: string,
  options: TerraformRunOptions,
  body: (ws: Workspace) => Promise<T>,
): Promise<T> {
  const env = await checkTerraformEnvironment();
  const sourceDir = resolveConfigDir(path.resolve(dir), options.stackName);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-ami-rollout-tf-'));
  const stub = options.stub ?? (await startAwsStubServer(options.stubOptions));
  const firstRequest = stub.requests.length;
  const firstUnhandled = stub.unhandled.length;
  try {
    const workDir = copyConfig(sourceDir, path.join(tmp, 'src'));
    writeTestOverrides(workDir, stub.url, path.join(tmp, 'state', 'terraform.tfstate'), options);
    const cliConfig = path.join(tmp, 'terraform.tfrc');
    fs.writeFileSync(cliConfig, cliConfigText(env.provider));
    const childEnv = terraformEnv(cliConfig, tmp, options.region ?? 'us-east-1', stub.url, {
      keepProxies: env.provider.kind === 'registry',
    });
    const varArgs = [...(options.varFiles ?? []).map((f) => `-var-file=${path.resolve(sourceDir, f)}`)];
    if (options.vars) {
      fs.writeFileSync(path.join(tmp, 'test.tfvars.json'), JSON.stringify(options.vars));
      varArgs.push(`-var-file=${path.join(tmp, 'test.tfvars.json')}`);
    }
    const planFile = path.join(tmp, 'tfplan');
    const unhandled = (): StubRequest[] => stub.unhandled.slice(firstUnhandled);
    return await body({
      planFile,
      planArgs: [
        'plan',
        '-input=false',
        '-no-color',
        '-lock=false',
        `-out=${planFile}`,
        ...varArgs,
        ...(options.planArgs ?? []),
      ],
      run: async (stage, args) => {
        const result = await runCommand(args, workDir, childEnv, options.commandTimeoutMs ?? 180_000);
        if (result.exitCode !== 0) {
          throw new TerraformCommandError(stage, result.exitCode, result.stdout, result.stderr, unhandled());
        }
        return result;
      },
      stubRequests: () => stub.requests.slice(firstRequest),
      assertNoUnhandledStubRequests: () => {
        const missing = unhandled();
        if (missing.length === 0 || options.failOnUnhandledStubRequests === false) return;
        const calls = missing.map((r) => `${r.service}.${r.operation} ${JSON.stringify(r.params)}`);
        throw new Error(
          `Terraform succeeded, but the AWS stub had no handler for: ${calls.join('; ')}. ` +
            'Add one (AwsStubServerOptions.handlers) or pass failOnUnhandledStubRequests: false.',
        );
      },
    });
  } finally {
    if (!options.stub) await stub.close();
    if (process.env.ECS_AMI_ROLLOUT_KEEP_TF_WORKDIR) console.log(`terraform-harness: kept work dir ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export * from './terraform/plan-json';
export { cliConfigText, terraformEnv, runCommand } from './terraform/process';
export {
  AWS_PROVIDER_VERSION,
  checkTerraformEnvironment,
  DEFAULT_PLUGIN_DIR,
  providerInstallation,
} from './terraform/environment';
export type { EnvironmentCheckOptions, ProviderInstallation, TerraformEnvironment } from './terraform/environment';
