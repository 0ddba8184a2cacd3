/**
 * Every constructor, trigger and role-policy validation of NodejsFunction: the error names the prop, the bad value
 * and the fix; unresolved tokens are never rejected.
 */
import { TerraformVariable } from 'cdktf';
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import {
  NodejsFunction,
  StubBundler,
  type EventBridgeTriggerOptions,
  type NodejsFunctionProps,
} from '../../../lib/function';
import { ValidationError } from '../../../lib/validation';
import { newStack } from './helpers';

const ENTRY = 'lambdas/drainer/index.ts';

function buildWith(props: Partial<NodejsFunctionProps>): NodejsFunction {
  return new NodejsFunction(newStack(), 'Fn', { entry: ENTRY, bundler: new StubBundler(), ...props });
}

describe('NodejsFunction props validation', () => {
  it.each<[string, Partial<NodejsFunctionProps>, RegExp]>([
    ['empty entry', { entry: ' ' }, /^NodejsFunction\.entry: " " is invalid — must not be empty\. Fix: set entry/],
    [
      'entry not a source file',
      { entry: 'lambdas/drainer' },
      /NodejsFunction\.entry: "lambdas\/drainer" is invalid — must be a \.ts or \.js file/,
    ],
    [
      'function name too long',
      { functionName: 'x'.repeat(65) },
      /NodejsFunction\.functionName: "x{65}" is invalid — must be 1–64 characters long \(it has 65\)\. Fix: shorten/,
    ],
    [
      'function name characters',
      { functionName: 'my.function' },
      /NodejsFunction\.functionName: "my\.function" is invalid — may only contain letters, digits/,
    ],
    [
      'description too long',
      { description: 'd'.repeat(257) },
      /NodejsFunction\.description: .* must be at most 256 characters/,
    ],
    [
      'memory too small',
      { memorySizeMb: 64 },
      /NodejsFunction\.memorySizeMb: 64 is invalid — must be an integer between 128 and 10240/,
    ],
    ['memory not an integer', { memorySizeMb: 256.5 }, /NodejsFunction\.memorySizeMb: 256\.5 is invalid/],
    [
      'timeout too long',
      { timeoutSeconds: 1200 },
      /NodejsFunction\.timeoutSeconds: 1200 is invalid — must be an integer between 1 and 900 \(Lambda's maximum is 900\)\. Fix: use a timeout between 1 and 900 seconds\./,
    ],
    ['timeout zero', { timeoutSeconds: 0 }, /NodejsFunction\.timeoutSeconds: 0 is invalid/],
    [
      'reserved concurrency below -1',
      { reservedConcurrentExecutions: -2 },
      /NodejsFunction\.reservedConcurrentExecutions: -2 is invalid — must be an integer ≥ -1\. Fix: use -1 for no reservation/,
    ],
    [
      'tracing mode',
      { tracingMode: 'active' as never },
      /NodejsFunction\.tracingMode: "active" is invalid — must be one of "PassThrough", "Active"/,
    ],
    [
      'log retention',
      { logRetentionDays: 31 },
      /NodejsFunction\.logRetentionDays: 31 is invalid — must be one of 1, 3, 5, 7, 14, 30, 60, .* 3653\. Fix: pick the nearest value/,
    ],
    [
      'event age too short',
      { maximumEventAgeSeconds: 30 },
      /NodejsFunction\.maximumEventAgeSeconds: 30 is invalid — must be an integer between 60 and 21600/,
    ],
    [
      'environment key is not an ARN',
      { environmentKmsKeyArn: 'alias/lambda' },
      /NodejsFunction\.environmentKmsKeyArn: "alias\/lambda" is invalid — must be a KMS key ARN/,
    ],
    [
      'log key is not an ARN',
      { logGroupKmsKeyArn: '1234abcd' },
      /NodejsFunction\.logGroupKmsKeyArn: "1234abcd" is invalid — must be a KMS key ARN/,
    ],
    [
      'empty external module',
      { externalModules: ['@aws-sdk/*', ''] },
      /NodejsFunction\.externalModules\[1\]: "" is invalid — must not be empty/,
    ],
    [
      'environment name characters',
      { environment: { 'MY-VAR': 'x' } },
      /NodejsFunction\.environment\.MY-VAR: "MY-VAR" is invalid — variable names must start with a letter/,
    ],
    [
      'reserved environment name',
      { environment: { AWS_REGION: 'eu-west-1' } },
      /NodejsFunction\.environment\.AWS_REGION: "AWS_REGION" is invalid — is reserved by the Lambda runtime/,
    ],
    [
      'secret-looking name',
      { environment: { DB_PASSWORD: 'hunter2' } },
      /NodejsFunction\.environment\.DB_PASSWORD: "DB_PASSWORD" is invalid — looks like a secret.*Fix: store the secret in SSM Parameter Store \/ Secrets Manager and pass its ARN or name \(e\.g\. DB_PASSWORD_ARN\)/,
    ],
    [
      'environment too large',
      { environment: { BIG: 'x'.repeat(4100) } },
      /NodejsFunction\.environment: "4103 bytes" is invalid — exceeds Lambda's 4096-byte limit/,
    ],
  ])('rejects %s', (_case, props, message) => {
    // GIVEN a bad prop / WHEN the construct is built / THEN it throws a ValidationError naming prop, value and fix
    expect(() => buildWith(props)).toThrow(message);
    expect(() => buildWith(props)).toThrow(ValidationError);
  });

  it('accepts references to secrets and the boundary values', () => {
    // GIVEN boundary values and secret *references*
    const props: Partial<NodejsFunctionProps> = {
      functionName: 'f'.repeat(64),
      memorySizeMb: 10240,
      timeoutSeconds: 900,
      reservedConcurrentExecutions: 0,
      logRetentionDays: 3653,
      maximumEventAgeSeconds: 21600,
      environment: {
        DB_PASSWORD_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db',
        API_TOKEN_PARAMETER: '/app/token',
      },
    };
    // WHEN built / THEN nothing is thrown
    expect(() => buildWith(props)).not.toThrow();
  });

  it('skips unresolved tokens', () => {
    // GIVEN token values for every checked prop
    const stack = newStack();
    const num = new TerraformVariable(stack, 'n', { type: 'number' }).numberValue;
    const str = new TerraformVariable(stack, 's', { type: 'string' }).stringValue;
    // WHEN built / THEN validation defers them to Terraform
    expect(
      () =>
        new NodejsFunction(stack, 'Fn', {
          entry: ENTRY,
          bundler: new StubBundler(),
          functionName: str,
          timeoutSeconds: num,
          memorySizeMb: num,
          logRetentionDays: num,
          environmentKmsKeyArn: str,
          environment: { CLUSTER: str },
        }),
    ).not.toThrow();
  });
});

describe('addEventBridgeTrigger options validation', () => {
  const base: EventBridgeTriggerOptions = { description: 'd', scheduleExpression: 'rate(5 minutes)' };
  it.each<[string, Partial<EventBridgeTriggerOptions>, RegExp]>([
    [
      'empty description',
      { description: '' },
      /NodejsFunction\.addEventBridgeTrigger\(T\)\.description: "" is invalid — must not be empty/,
    ],
    [
      'description too long',
      { description: 'd'.repeat(513) },
      /addEventBridgeTrigger\(T\)\.description: .* must be at most 512 characters/,
    ],
    [
      'neither pattern nor schedule',
      { scheduleExpression: undefined },
      /addEventBridgeTrigger\(T\)\.eventPattern\/scheduleExpression: \{\} is invalid — exactly one of them must be set/,
    ],
    [
      'both pattern and schedule',
      { eventPattern: { source: ['aws.ecs'] } },
      /exactly one of them must be set\. Fix: add one trigger per event pattern or schedule/,
    ],
    [
      'empty pattern',
      { scheduleExpression: undefined, eventPattern: {} },
      /addEventBridgeTrigger\(T\)\.eventPattern: \{\} is invalid — must not be empty/,
    ],
    [
      'bad schedule',
      { scheduleExpression: 'every 5 minutes' },
      /addEventBridgeTrigger\(T\)\.scheduleExpression: "every 5 minutes" is invalid — must be rate\(\.\.\.\) or cron\(\.\.\.\)/,
    ],
    [
      'rule name too long',
      { ruleName: 'r'.repeat(65) },
      /addEventBridgeTrigger\(T\)\.ruleName: "r{65}" is invalid — must be 1–64 characters long/,
    ],
    [
      'rule name characters',
      { ruleName: 'my rule' },
      /addEventBridgeTrigger\(T\)\.ruleName: "my rule" is invalid — may only contain letters, digits, "\.", "-" and "_"/,
    ],
    [
      'retry attempts',
      { maximumRetryAttempts: 186 },
      /addEventBridgeTrigger\(T\)\.maximumRetryAttempts: 186 is invalid — must be an integer between 0 and 185/,
    ],
    [
      'event age',
      { maximumEventAgeSeconds: 86401 },
      /addEventBridgeTrigger\(T\)\.maximumEventAgeSeconds: 86401 is invalid — must be an integer between 60 and 86400/,
    ],
  ])('rejects %s', (_case, options, message) => {
    // GIVEN a function / WHEN a trigger with a bad option is added / THEN it throws naming the option
    const fn = buildWith({});
    expect(() => fn.addEventBridgeTrigger('T', { ...base, ...options })).toThrow(message);
  });
});

describe('addToRolePolicy least-privilege checks', () => {
  it.each<[string, DataAwsIamPolicyDocumentStatement, RegExp]>([
    [
      'no actions',
      { resources: ['arn:aws:sqs:eu-west-1:123456789012:q'] },
      /NodejsFunction\.addToRolePolicy\.actions: \[\] is invalid — must not be empty/,
    ],
    [
      'no resources',
      { actions: ['sqs:SendMessage'] },
      /NodejsFunction\.addToRolePolicy\.resources: \[\] is invalid — must not be empty/,
    ],
    [
      'mutating action on *',
      { actions: ['ec2:DescribeInstances', 'ec2:TerminateInstances'], resources: ['*'] },
      /addToRolePolicy\.resources: \{"actions":\["ec2:TerminateInstances"\],"resources":\["\*"\]\} is invalid — mutating actions on "\*" without a condition.*Fix: scope resources to ARNs/,
    ],
    [
      'service wildcard on *',
      { actions: ['autoscaling:*'], resources: ['*'] },
      /mutating actions on "\*" without a condition/,
    ],
    [
      'NotAction',
      { notActions: ['iam:*'], resources: ['*'] },
      /addToRolePolicy\.notActions\/notResources: .* NotAction\/NotResource grant open-ended access/,
    ],
    [
      'principals',
      { actions: ['s3:GetObject'], resources: ['*'], principals: [{ type: 'AWS', identifiers: ['*'] }] },
      /addToRolePolicy\.principals: .* identity policies have no principals/,
    ],
    [
      'effect typo',
      { effect: 'allow', actions: ['s3:GetObject'], resources: ['*'] },
      /addToRolePolicy\.effect: "allow" is invalid — must be 'Allow' or 'Deny'/,
    ],
  ])('rejects %s', (_case, statement, message) => {
    // GIVEN a function / WHEN a bad statement is added / THEN it throws
    const fn = buildWith({});
    expect(() => fn.addToRolePolicy(statement)).toThrow(message);
  });

  it('rejects a duplicate sid', () => {
    // GIVEN a statement with a sid already in the document
    const fn = buildWith({});
    // WHEN the construct's own sid is reused / THEN it throws
    expect(() =>
      fn.addToRolePolicy({ sid: 'WriteOwnLogGroup', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }),
    ).toThrow(/addToRolePolicy\.sid: "WriteOwnLogGroup" is invalid — is already used in this policy/);
  });

  it('accepts mutating actions on * with a condition, and read-only actions on *', () => {
    // GIVEN a conditioned wildcard statement and a read-only one
    const fn = buildWith({});
    // WHEN added / THEN nothing is thrown
    expect(() =>
      fn.addToRolePolicy({
        actions: ['ecs:UpdateContainerInstancesState'],
        resources: ['*'],
        condition: [
          { test: 'ArnEquals', variable: 'ecs:cluster', values: ['arn:aws:ecs:eu-west-1:123456789012:cluster/prod'] },
        ],
      }),
    ).not.toThrow();
    expect(() =>
      fn.addToRolePolicy({ actions: ['ecs:ListTasks', 'ec2:DescribeInstances'], resources: ['*'] }),
    ).not.toThrow();
  });
});
