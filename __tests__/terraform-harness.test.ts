/**
 * Tests of the offline Terraform harness itself: a tiny cdktf stack is planned by REAL Terraform against the loopback
 * AWS stub (plain HCL directories are planned by the module suites). Terraform tests fail (never skip) when Terraform
 * or the provider is missing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { DataAwsAmi } from '@cdktf/provider-aws/lib/data-aws-ami';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsEcsCluster } from '@cdktf/provider-aws/lib/data-aws-ecs-cluster';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import {
  DEFAULT_STUB_SSM_PARAMETERS,
  STUB_ACCOUNT_ID,
  STUB_AL2023_X86_AMI_ID,
  STUB_EXISTING_CLUSTER_NAME,
  startAwsStubServer,
} from './support/aws-stub-server';
import {
  PlanResult,
  TERRAFORM_TEST_TIMEOUT_MS,
  checkTerraformEnvironment,
  expectTerraformFailure,
  planCdktfStack,
} from './support/terraform-harness';

jest.setTimeout(TERRAFORM_TEST_TIMEOUT_MS);

const AMI_PARAMETER = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';

/** A stack that uses every stubbed read: SSM (→ AMI lookup), ECS cluster adoption, STS through an aliased provider. */
function buildLookupStack(app: App, amiParameter = AMI_PARAMETER): TerraformStack {
  const stack = new TerraformStack(app, 'harness-lookups');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const usEast1 = new AwsProvider(stack, 'aws-us-east-1', { region: 'us-east-1', alias: 'us_east_1' });
  const ami = new DataAwsSsmParameter(stack, 'ami', { name: amiParameter });
  const cluster = new DataAwsEcsCluster(stack, 'cluster', { clusterName: STUB_EXISTING_CLUSTER_NAME });
  const caller = new DataAwsCallerIdentity(stack, 'caller', { provider: usEast1 });
  const image = new DataAwsAmi(stack, 'image', {
    owners: ['amazon'],
    filter: [{ name: 'image-id', values: [ami.insecureValue] }],
  });
  new SsmParameter(stack, 'pinned-ami', { name: '/harness/pinned-ami', type: 'String', value: ami.insecureValue });
  new IamRole(stack, 'role', {
    name: 'harness-role',
    assumeRolePolicy: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
    tags: {
      Cluster: cluster.arn,
      Account: caller.accountId,
      RootDevice: image.rootDeviceName,
      ImageName: image.name,
    },
  });
  return stack;
}

describe('checkTerraformEnvironment', () => {
  it('finds terraform and the aws provider in the mirror', async () => {
    // GIVEN the machine's PATH and plugin mirror (CI keeps one)
    // WHEN the environment is checked
    const env = await checkTerraformEnvironment();
    // THEN it reports the Terraform version and the provider binary it found
    expect(env.terraformVersion).toMatch(/^1\.\d+\.\d+/);
    expect(env.provider.kind === 'mirror' && fs.existsSync(env.provider.providerPath)).toBe(true);
  });

  it('fails with a fix-it message when the provider is not in the mirror', async () => {
    // GIVEN a plugin dir without the provider
    const emptyMirror = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-empty-mirror-'));
    try {
      // WHEN / THEN the check names the missing provider, where it looked and how to fix it
      await expect(checkTerraformEnvironment({ pluginDir: emptyMirror })).rejects.toThrow(
        /hashicorp\/aws 5\.100\.0 provider .* not in the Terraform filesystem mirror[\s\S]*ECS_AMI_ROLLOUT_TF_PLUGIN_DIR/,
      );
    } finally {
      fs.rmSync(emptyMirror, { recursive: true, force: true });
    }
  });

  it('fails with a fix-it message when terraform is not on PATH', async () => {
    // GIVEN a PATH without terraform
    // WHEN / THEN the check says Terraform is missing and where to get it
    await expect(checkTerraformEnvironment({ searchPath: '/nonexistent-bin' })).rejects.toThrow(
      /Terraform CLI not found on PATH[\s\S]*Install Terraform/,
    );
  });
});

describe('aws stub server', () => {
  it('answers unknown operations with a clear error and records them', async () => {
    // GIVEN a running stub
    const stub = await startAwsStubServer();
    try {
      // WHEN a client calls an operation without a handler (signed like the SDK: the scope names the service)
      const response = await fetch(stub.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-amz-json-1.1',
          'X-Amz-Target': 'AmazonSSM.GetParametersByPath',
          Authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20250101/eu-west-1/ssm/aws4_request, SignedHeaders=host',
        },
        body: JSON.stringify({ Path: '/x' }),
      });
      // THEN it gets a non-retryable 400 naming the operation, and the test can see the call
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        __type: 'StubNotImplemented',
        message: expect.stringMatching(/ssm\.GetParametersByPath/),
      });
      expect(stub.unhandled).toEqual([
        expect.objectContaining({ service: 'ssm', operation: 'GetParametersByPath', region: 'eu-west-1' }),
      ]);
    } finally {
      await stub.close();
    }
  });
});

describe('planning a synthesized cdktf stack', () => {
  let result: PlanResult;
  let outdir: string;

  beforeAll(async () => {
    // GIVEN a stack in an app (planCdktfStack synthesizes it with Testing.fullSynth into its own temp dir)
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-cdktf-'));
    const stack = buildLookupStack(new App({ outdir }));
    // WHEN the harness runs real terraform init/validate/plan/show against it
    result = await planCdktfStack(stack);
  });

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  it('validates the configuration', () => {
    // THEN terraform validate succeeded
    expect(result.validateOutput).toMatch(/The configuration is valid/);
  });

  it('plans the resource with the AMI id served by the SSM stub', () => {
    // THEN the SSM parameter resource carries the stubbed AMI id
    expect(result.resourcesOfType('aws_ssm_parameter')).toEqual([
      expect.objectContaining({ name: '/harness/pinned-ami', value: DEFAULT_STUB_SSM_PARAMETERS[AMI_PARAMETER] }),
    ]);
  });

  it('resolves the cluster, the account (through the aliased provider) and the AMI details', () => {
    // THEN the role's tags hold values only the stubbed ECS, STS and EC2 reads can provide
    const image = result.dataSourcesOfType<{ image_id: string; name: string }>('aws_ami')[0];
    expect(image.image_id).toBe(STUB_AL2023_X86_AMI_ID);
    expect(result.resource('aws_iam_role.role')).toMatchObject({
      tags: {
        Cluster: `arn:aws:ecs:eu-west-1:${STUB_ACCOUNT_ID}:cluster/${STUB_EXISTING_CLUSTER_NAME}`,
        Account: STUB_ACCOUNT_ID,
        RootDevice: '/dev/xvda',
        ImageName: image.name,
      },
    });
  });

  it('talks only to the stub, with each provider configuration in its own region', () => {
    // THEN every call was answered and the STS call came from the us-east-1 alias
    const calls = result.stubRequests.map((r) => `${r.region} ${r.service}.${r.operation}`);
    expect(calls).toEqual(
      expect.arrayContaining([
        'eu-west-1 ssm.GetParameter',
        'eu-west-1 ecs.DescribeClusters',
        'eu-west-1 ec2.DescribeImages',
        'us-east-1 sts.GetCallerIdentity',
      ]),
    );
    expect(result.timings.totalMs).toBeGreaterThan(0);
  });
});

describe('a failing cdktf plan', () => {
  it("surfaces Terraform's error message", async () => {
    // GIVEN a stack that reads an SSM parameter the account does not have, synthesized by app.synth()
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'harness-cdktf-'));
    const app = new App({ outdir });
    buildLookupStack(app, '/does/not/exist');
    app.synth();
    try {
      // WHEN it is planned
      const failure = await expectTerraformFailure(outdir, { validate: false });
      // THEN the plan stage fails with the provider's error naming the parameter (the stub answered ParameterNotFound)
      expect(failure.stage).toBe('plan');
      expect(failure.output).toMatch(/Error: reading SSM Parameter \(\/does\/not\/exist\): couldn't find resource/);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
