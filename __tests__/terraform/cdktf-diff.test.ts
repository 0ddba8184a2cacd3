/**
 * The cdktf user path, for real: `cdktf diff --skip-provider-lock` on the embedded example, offline. The cdktf CLI
 * synthesizes through cdktf.json's `app`, then runs `terraform init` and `plan` itself; the test gives it only what a
 * user's machine would give Terraform — a CLI config with the provider mirror, credentials and endpoints in the
 * environment (here fake ones pointing at the loopback stub).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { AwsStubServer, startAwsStubServer } from '../support/aws-stub-server';
import { checkTerraformEnvironment, cliConfigText, TERRAFORM_TEST_TIMEOUT_MS } from '../support/terraform-harness';

jest.setTimeout(TERRAFORM_TEST_TIMEOUT_MS);

const REPO = path.join(__dirname, '..', '..');

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', reject);
    // Terraform colours its output even when piped through the cdktf CLI: strip the escape codes.
    child.on('close', (code) =>
      resolve({
        code,
        output: stripVTControlCharacters(Buffer.concat(chunks).toString('utf8')),
      }),
    );
  });
}

describe('cdktf diff --skip-provider-lock on the embedded example (offline)', () => {
  let stub: AwsStubServer;
  let tmp: string;
  let result: { code: number | null; output: string };

  beforeAll(async () => {
    // GIVEN Terraform with the provider mirror, fake credentials and the loopback AWS stub
    const environment = await checkTerraformEnvironment();
    stub = await startAwsStubServer();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-diff-'));
    const cliConfig = path.join(tmp, 'terraform.rc');
    fs.writeFileSync(cliConfig, cliConfigText(environment.provider));
    const env: NodeJS.ProcessEnv = {};
    for (const [key, value] of Object.entries(process.env)) if (!/^(AWS_|TF_)/.test(key)) env[key] = value;
    Object.assign(env, {
      TF_CLI_CONFIG_FILE: cliConfig,
      CHECKPOINT_DISABLE: '1',
      CI: 'true',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'fake-secret-for-offline-tests',
      AWS_ENDPOINT_URL: stub.url,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: path.join(tmp, 'none'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, 'none'),
    });
    // WHEN the cdktf CLI diffs the example stack
    result = await run(
      'npx',
      ['cdktf', 'diff', '--skip-provider-lock', '--output', path.join(tmp, 'cdktf.out'), 'ecs-ami-rollout-example'],
      env,
    );
  });

  afterAll(async () => {
    await stub?.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('exits 0 and Terraform plans the whole stack', () => {
    // THEN the plan adds every resource and nothing else
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/Plan: \d+ to add, 0 to change, 0 to destroy/);
    expect(result.output).toContain('"example-web-x86"');
  });

  test('the AMI was read from the public SSM parameter at plan time, through the stub', () => {
    const names = stub.calls('ssm', 'GetParameter').map((r) => r.params.Name);
    expect(names).toContain('/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id');
    expect(stub.unhandled).toEqual([]);
  });
});
