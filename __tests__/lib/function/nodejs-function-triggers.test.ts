/**
 * NodejsFunction.addEventBridgeTrigger: rule, target (retry policy + DLQ), permission and the rules' DLQ policy.
 */
import { TerraformVariable, Testing } from 'cdktf';
// Types of the toHaveResource* matchers (registered at runtime by __tests__/support/setup-jest.ts).
import 'cdktf/lib/testing/adapters/jest';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { NodejsFunction, StubBundler } from '../../../lib/function';
import { newStack, onlyResource, policyDocumentFor, refTo, resourcesOf, synthJson } from './helpers';

const LIFECYCLE_PATTERN = {
  source: ['aws.autoscaling'],
  'detail-type': ['EC2 Instance-terminate Lifecycle Action'],
};

function build(functionName = 'drainer') {
  const stack = newStack();
  const fn = new NodejsFunction(stack, 'Drainer', {
    entry: 'lambdas/drainer/index.ts',
    functionName,
    bundler: new StubBundler(),
  });
  return { stack, fn };
}

describe('NodejsFunction.addEventBridgeTrigger', () => {
  it('creates a schedule rule on the default bus and returns it', () => {
    // GIVEN a function
    const { stack, fn } = build();
    // WHEN a scheduled trigger is added
    const rule = fn.addEventBridgeTrigger('Sweep', {
      description: 'Periodic sweep',
      scheduleExpression: 'rate(5 minutes)',
    });
    // THEN the rule has the schedule, no pattern, no custom bus, and is the returned construct
    const body = onlyResource(synthJson(stack), 'aws_cloudwatch_event_rule');
    expect(body).toEqual({
      name: expect.stringMatching(/^drainer-Sweep-[0-9a-f]{8}$/),
      description: 'Periodic sweep',
      schedule_expression: 'rate(5 minutes)',
    });
    expect(rule.nameInput).toBe(body.name);
  });

  it('renders a literal event pattern with JSON.stringify', () => {
    // GIVEN a pattern without tokens
    const { stack, fn } = build();
    // WHEN added
    fn.addEventBridgeTrigger('Lifecycle', { description: 'Terminate hook', eventPattern: LIFECYCLE_PATTERN });
    // THEN event_pattern is the plain JSON text
    const rule = onlyResource(synthJson(stack), 'aws_cloudwatch_event_rule');
    expect(JSON.parse(rule.event_pattern as string)).toEqual(LIFECYCLE_PATTERN);
  });

  it('renders a pattern containing tokens with jsonencode()', () => {
    // GIVEN a pattern with a token (an ASG name known only at apply time) and a token input
    const { stack, fn } = build();
    const asgName = new TerraformVariable(stack, 'asg', { type: 'string' }).stringValue;
    // WHEN added
    fn.addEventBridgeTrigger('Lifecycle', {
      description: 'Terminate hook',
      eventPattern: { ...LIFECYCLE_PATTERN, detail: { AutoScalingGroupName: [asgName] } },
      input: { asgName },
    });
    // THEN Terraform encodes the JSON, referencing the variable as an expression
    const json = synthJson(stack);
    const pattern = onlyResource(json, 'aws_cloudwatch_event_rule').event_pattern as string;
    expect(pattern).toMatch(/^\$\{jsonencode\(\{.*"detail-type" = \["EC2 Instance-terminate Lifecycle Action"\]/);
    expect(pattern).toContain('"AutoScalingGroupName" = [var.asg]');
    expect(onlyResource(json, 'aws_cloudwatch_event_target').input).toBe('${jsonencode({"asgName" = var.asg})}');
  });

  it('targets the function with a retry policy and the rules DLQ', () => {
    // GIVEN default and custom retry options
    const { stack, fn } = build();
    fn.addEventBridgeTrigger('Sweep', {
      description: 'sweep',
      scheduleExpression: 'rate(5 minutes)',
      input: { mode: 'sweep' },
    });
    fn.addEventBridgeTrigger('Hook', {
      description: 'hook',
      eventPattern: LIFECYCLE_PATTERN,
      maximumRetryAttempts: 10,
      maximumEventAgeSeconds: 600,
    });
    // WHEN synthesized
    const synthed = Testing.synth(stack);
    // THEN both targets point at the function and dead-letter to the shared events DLQ
    const common = {
      arn: refTo(fn, 'Function', 'arn'),
      dead_letter_config: { arn: refTo(fn, 'EventsDeadLetterQueue/Queue', 'arn') },
    };
    expect(synthed).toHaveResourceWithProperties(CloudwatchEventTarget, {
      ...common,
      rule: refTo(fn, 'Trigger-Sweep/Rule', 'name'),
      input: '{"mode":"sweep"}',
      retry_policy: { maximum_retry_attempts: 3, maximum_event_age_in_seconds: 3600 },
    });
    expect(synthed).toHaveResourceWithProperties(CloudwatchEventTarget, {
      ...common,
      rule: refTo(fn, 'Trigger-Hook/Rule', 'name'),
      retry_policy: { maximum_retry_attempts: 10, maximum_event_age_in_seconds: 600 },
    });
  });

  it('allows invocation only from the rule (principal events.amazonaws.com, source_arn = rule ARN)', () => {
    // GIVEN a trigger
    const { stack, fn } = build();
    fn.addEventBridgeTrigger('Sweep', { description: 'sweep', scheduleExpression: 'rate(5 minutes)' });
    // WHEN synthesized / THEN the permission is scoped to the rule
    expect(Testing.synth(stack)).toHaveResourceWithProperties(LambdaPermission, {
      action: 'lambda:InvokeFunction',
      function_name: refTo(fn, 'Function', 'function_name'),
      principal: 'events.amazonaws.com',
      source_arn: refTo(fn, 'Trigger-Sweep/Rule', 'arn'),
    });
  });

  it('creates one encrypted events DLQ whose policy admits exactly the function’s rules', () => {
    // GIVEN two triggers
    const { stack, fn } = build();
    fn.addEventBridgeTrigger('Sweep', { description: 'sweep', scheduleExpression: 'rate(5 minutes)' });
    fn.addEventBridgeTrigger('Hook', { description: 'hook', eventPattern: LIFECYCLE_PATTERN });
    // WHEN synthesized
    const json = synthJson(stack);
    // THEN there is one extra queue (besides the function DLQ), SSE-SQS, 14 days
    expect(resourcesOf(json, 'aws_sqs_queue')).toHaveLength(2);
    expect(Testing.synth(stack)).toHaveResourceWithProperties(SqsQueue, {
      name: 'drainer-events-dlq',
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 1209600,
    });
    // AND its policy lets events.amazonaws.com send only on behalf of both rules
    const queuePolicy = onlyResource(json, 'aws_sqs_queue_policy');
    expect(queuePolicy.queue_url).toBe(refTo(fn, 'EventsDeadLetterQueue/Queue', 'url'));
    expect(policyDocumentFor(json, queuePolicy.policy).statement).toEqual([
      {
        sid: 'AllowEventBridgeRulesOfThisFunction',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
        actions: ['sqs:SendMessage'],
        resources: [refTo(fn, 'EventsDeadLetterQueue/Queue', 'arn')],
        condition: [
          {
            test: 'ArnEquals',
            variable: 'aws:SourceArn',
            values: [refTo(fn, 'Trigger-Sweep/Rule', 'arn'), refTo(fn, 'Trigger-Hook/Rule', 'arn')],
          },
        ],
      },
    ]);
  });

  it('derives unique rule names within 64 characters, and keeps a given ruleName', () => {
    // GIVEN a function with the longest possible name and two triggers whose ids share a long prefix
    const { stack, fn } = build('f'.repeat(64));
    fn.addEventBridgeTrigger('LifecycleHookTerminateA', { description: 'a', eventPattern: LIFECYCLE_PATTERN });
    fn.addEventBridgeTrigger('LifecycleHookTerminateB', { description: 'b', eventPattern: LIFECYCLE_PATTERN });
    fn.addEventBridgeTrigger('Named', {
      description: 'c',
      eventPattern: LIFECYCLE_PATTERN,
      ruleName: 'my.rule_name-1',
    });
    // WHEN synthesized
    const names = resourcesOf(synthJson(stack), 'aws_cloudwatch_event_rule').map((r) => r.name as string);
    // THEN derived names are distinct, ≤ 64 chars, valid; the explicit name is untouched
    expect(new Set(names).size).toBe(3);
    names.forEach((n) => expect(n).toMatch(/^[.\-_A-Za-z0-9]{1,64}$/));
    expect(names).toContain('my.rule_name-1');
  });

  it('derives the same rule names on every synth', () => {
    // GIVEN the same app built twice
    const namesOnce = () => {
      const { stack, fn } = build();
      fn.addEventBridgeTrigger('Sweep', { description: 'sweep', scheduleExpression: 'rate(5 minutes)' });
      return resourcesOf(synthJson(stack), 'aws_cloudwatch_event_rule').map((r) => r.name);
    };
    // WHEN synthesized twice / THEN the names are identical (no plan churn)
    expect(namesOnce()).toEqual(namesOnce());
  });
});
