/**
 * NodejsFunction resources, with bundling mocked by the StubBundler (where the code comes from is tested in
 * nodejs-function-code.test.ts, the real esbuild run in bundle.test.ts).
 */
import { TerraformVariable, Testing } from 'cdktf';
// Types of the toHaveResource* matchers (registered at runtime by __tests__/support/setup-jest.ts).
import 'cdktf/lib/testing/adapters/jest';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { NodejsFunction, StubBundler, type NodejsFunctionProps } from '../../../lib/function';
import { newStack, onlyResource, policyDocumentFor, refTo, resourcesOf, synthJson } from './helpers';

const ENTRY = 'lambdas/drainer/index.ts';

function build(props: Partial<NodejsFunctionProps> = {}) {
  const stack = newStack();
  const bundler = new StubBundler();
  const fn = new NodejsFunction(stack, 'Drainer', { entry: ENTRY, functionName: 'drainer', bundler, ...props });
  return { stack, fn, bundler };
}

describe('NodejsFunction: the function', () => {
  it('deploys nodejs22.x on arm64 with the documented defaults', () => {
    // GIVEN a function with only the required props
    const { stack, fn } = build();
    // WHEN synthesized
    const synthed = Testing.synth(stack);
    // THEN runtime, architecture, handler and sizing are the defaults
    expect(synthed).toHaveResourceWithProperties(LambdaFunction, {
      function_name: 'drainer',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      memory_size: 256,
      timeout: 60,
      reserved_concurrent_executions: 5,
      tracing_config: { mode: 'PassThrough' },
      source_code_hash: fn.bundle.zipSha256Base64,
    });
    // AND without variables there is no environment block (no NODE_OPTIONS: source maps are off by default)
    expect(onlyResource(synthJson(stack), 'aws_lambda_function').environment).toBeUndefined();
  });

  it('references the code by a stack-relative asset path and hashes the ZIP', () => {
    // GIVEN a function
    const { stack, fn } = build();
    // WHEN synthesized
    const lambda = onlyResource(synthJson(stack), 'aws_lambda_function');
    // THEN filename is relative to the stack directory (cdktf copies the asset there) and the hash is base64 SHA-256
    expect(lambda.filename).toMatch(/^assets\/Drainer_Code_[A-Z0-9]+\/[0-9a-f]{32}\/bundle\.zip$/);
    expect(lambda.source_code_hash).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(lambda.source_code_hash).toBe(fn.bundle.zipSha256Base64);
  });

  it('logs JSON to its own log group and depends on it and on the role policy', () => {
    // GIVEN a function
    const { stack, fn } = build();
    // WHEN synthesized
    const json = synthJson(stack);
    const lambda = onlyResource(json, 'aws_lambda_function');
    // THEN logging_config points at the group, and the group and the policy are created first
    expect(lambda.logging_config).toEqual({ log_format: 'JSON', log_group: refTo(fn, 'LogGroup', 'name') });
    expect(lambda.depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_cloudwatch_log_group\./),
        expect.stringMatching(/^aws_iam_role_policy\./),
      ]),
    );
  });

  it('passes the props through', () => {
    // GIVEN every optional function prop
    const { stack } = build({
      description: 'Drains container instances',
      memorySizeMb: 512,
      timeoutSeconds: 900,
      reservedConcurrentExecutions: -1,
      tracingMode: 'Active',
      environment: { CLUSTER_NAME: 'prod', NODE_OPTIONS: '--max-old-space-size=400' },
      environmentKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
    });
    // WHEN synthesized / THEN they are on the function, NODE_OPTIONS as given
    expect(Testing.synth(stack)).toHaveResourceWithProperties(LambdaFunction, {
      description: 'Drains container instances',
      memory_size: 512,
      timeout: 900,
      reserved_concurrent_executions: -1,
      tracing_config: { mode: 'Active' },
      kms_key_arn: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
      environment: { variables: { CLUSTER_NAME: 'prod', NODE_OPTIONS: '--max-old-space-size=400' } },
    });
  });

  it("enables source maps in NODE_OPTIONS, keeping the caller's flags, when sourceMap is set", () => {
    // GIVEN source maps and a NODE_OPTIONS of the caller
    const { stack, bundler } = build({ sourceMap: true, environment: { NODE_OPTIONS: '--max-old-space-size=400' } });
    // WHEN synthesized / THEN the flag is appended once and the bundler was asked for the map
    expect(Testing.synth(stack)).toHaveResourceWithProperties(LambdaFunction, {
      environment: { variables: { NODE_OPTIONS: '--max-old-space-size=400 --enable-source-maps' } },
    });
    expect(bundler.requests[0].sourceMap).toBe(true);
  });

  it('derives a deterministic name of at most 64 characters when none is given', () => {
    // GIVEN two identical apps with a very long construct id and no functionName
    const longId = 'ContainerInstanceDrainerForTheProductionClusterWithAVeryLongName';
    const names = [1, 2].map(() => {
      const stack = newStack();
      new NodejsFunction(stack, longId, { entry: ENTRY, bundler: new StubBundler() });
      return onlyResource(synthJson(stack), 'aws_lambda_function').function_name as string;
    });
    // THEN the names are equal, within Lambda's limit, and end in a hash
    expect(names[0]).toBe(names[1]);
    expect(names[0].length).toBeLessThanOrEqual(64);
    expect(names[0]).toMatch(/^ContainerInstanceDrainer[A-Za-z]*-[0-9a-f]{8}$/);
  });

  it('accepts a token as function name', () => {
    // GIVEN a function name from a Terraform variable
    const stack = newStack();
    const name = new TerraformVariable(stack, 'name', { type: 'string' });
    new NodejsFunction(stack, 'Drainer', { entry: ENTRY, functionName: name.stringValue, bundler: new StubBundler() });
    // WHEN synthesized
    const json = synthJson(stack);
    // THEN companion names interpolate it and the role prefix falls back to the construct id
    expect(onlyResource(json, 'aws_cloudwatch_log_group').name).toBe('/aws/lambda/${var.name}');
    expect(onlyResource(json, 'aws_sqs_queue').name).toBe('${var.name}-dlq');
    expect(onlyResource(json, 'aws_iam_role').name_prefix).toBe('Drainer-');
  });
});

describe('NodejsFunction: logs, DLQ, asynchronous invocation', () => {
  it('creates /aws/lambda/<name> with 30 days retention by default', () => {
    // GIVEN a function / WHEN synthesized / THEN its log group has the default retention and no KMS key
    const { stack } = build();
    const group = onlyResource(synthJson(stack), 'aws_cloudwatch_log_group');
    expect(group).toEqual({ name: '/aws/lambda/drainer', retention_in_days: 30 });
  });

  it('uses the given retention and KMS key', () => {
    // GIVEN retention and key props
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/logs';
    const { stack } = build({ logRetentionDays: 365, logGroupKmsKeyArn: key });
    // WHEN synthesized / THEN the log group carries them
    expect(Testing.synth(stack)).toHaveResourceWithProperties(CloudwatchLogGroup, {
      retention_in_days: 365,
      kms_key_id: key,
    });
  });

  it('sends failed asynchronous invocations to an encrypted DLQ kept 14 days', () => {
    // GIVEN a function
    const { stack, fn } = build();
    // WHEN synthesized
    const json = synthJson(stack);
    // THEN the DLQ exists with SSE-SQS and the function's dead_letter_config targets it
    expect(Testing.synth(stack)).toHaveResourceWithProperties(SqsQueue, {
      name: 'drainer-dlq',
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 1209600,
    });
    expect(onlyResource(json, 'aws_lambda_function').dead_letter_config).toEqual({
      target_arn: refTo(fn, 'DeadLetterQueue', 'arn'),
    });
  });

  it('configures asynchronous retries (2) and the maximum event age', () => {
    // GIVEN the default and a custom event age
    const { stack: defaults, fn } = build();
    const custom = build({ maximumEventAgeSeconds: 600 }).stack;
    // WHEN synthesized / THEN the event invoke config is a separate resource with those values
    expect(Testing.synth(defaults)).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, {
      function_name: refTo(fn, 'Function', 'function_name'),
      maximum_retry_attempts: 2,
      maximum_event_age_in_seconds: 3600,
    });
    expect(Testing.synth(custom)).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, {
      maximum_event_age_in_seconds: 600,
    });
  });
});

describe('NodejsFunction: IAM', () => {
  it('builds the trust policy with aws_iam_policy_document for lambda.amazonaws.com', () => {
    // GIVEN a function / WHEN synthesized
    const json = synthJson(build().stack);
    const role = onlyResource(json, 'aws_iam_role');
    // THEN the role's trust policy is a policy document data source, not hand-written JSON
    expect(policyDocumentFor(json, role.assume_role_policy).statement).toEqual([
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
      },
    ]);
    expect(role.name_prefix).toBe('drainer-');
  });

  it('scopes logs to the own log group and sqs:SendMessage to the own DLQ; no X-Ray by default', () => {
    // GIVEN a function / WHEN synthesized
    const { stack, fn } = build();
    const json = synthJson(stack);
    const policy = onlyResource(json, 'aws_iam_role_policy');
    // THEN there is exactly one inline policy with exactly these statements
    expect(policy.role).toBe(refTo(fn, 'Role', 'id'));
    expect(policyDocumentFor(json, policy.policy).statement).toEqual([
      {
        sid: 'WriteOwnLogGroup',
        effect: 'Allow',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [`${refTo(fn, 'LogGroup', 'arn')}:*`],
      },
      {
        sid: 'SendFailedInvocationsToDlq',
        effect: 'Allow',
        actions: ['sqs:SendMessage'],
        resources: [refTo(fn, 'DeadLetterQueue', 'arn')],
      },
    ]);
  });

  it('grants X-Ray writes only with Active tracing, and kms:Decrypt only on the environment key', () => {
    // GIVEN Active tracing and an environment key
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/env';
    const json = synthJson(build({ tracingMode: 'Active', environmentKmsKeyArn: key }).stack);
    // WHEN the inline policy is read
    const statements = policyDocumentFor(json, onlyResource(json, 'aws_iam_role_policy').policy).statement;
    // THEN both statements are present and scoped as narrowly as the services allow
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          sid: 'WriteXRayTraces',
          actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
          resources: ['*'],
        }),
        expect.objectContaining({ sid: 'DecryptEnvironment', actions: ['kms:Decrypt'], resources: [key] }),
      ]),
    );
  });

  it('collects addToRolePolicy statements into the same single policy document', () => {
    // GIVEN two added statements
    const { stack, fn } = build();
    const asg = 'arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:*:autoScalingGroupName/prod';
    fn.addToRolePolicy({
      sid: 'CompleteLifecycle',
      actions: ['autoscaling:CompleteLifecycleAction'],
      resources: [asg],
    });
    fn.addToRolePolicy({ actions: ['ec2:DescribeInstances'], resources: ['*'] });
    // WHEN synthesized
    const json = synthJson(stack);
    // THEN one aws_iam_role_policy holds all four statements, in order
    expect(resourcesOf(json, 'aws_iam_role_policy')).toHaveLength(1);
    const statements = policyDocumentFor(json, onlyResource(json, 'aws_iam_role_policy').policy).statement;
    expect(statements.map((s) => s.sid ?? s.actions)).toEqual([
      'WriteOwnLogGroup',
      'SendFailedInvocationsToDlq',
      'CompleteLifecycle',
      ['ec2:DescribeInstances'],
    ]);
  });
});
