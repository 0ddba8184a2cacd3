/**
 * EventBridge → Lambda wiring for {@link NodejsFunction.addEventBridgeTrigger}: rule, target (retry policy + DLQ) and
 * the resource-based permission, plus one DLQ per function shared by all its rules.
 */
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { deterministicName } from './names';
import { DLQ_MESSAGE_RETENTION_SECONDS, NODEJS_FUNCTION_DEFAULTS, type EventBridgeTriggerOptions } from './props';
import { toJsonString } from './tokens';

const EVENTS_PRINCIPAL = 'events.amazonaws.com';

/**
 * The SQS queue that receives events EventBridge could not deliver to the function (after its retry policy), with a
 * queue policy that lets only this function's rules send to it.
 *
 * Terraform note: CloudFormation-based CDK grows the queue policy through `addToResourcePolicy`; here the policy is
 * one `aws_sqs_queue_policy` whose `aws:SourceArn` condition lists every rule ARN, rebuilt whenever a rule is added.
 */
export class EventBridgeDeadLetterQueue extends Construct {
  /** The queue. */
  public readonly queue: SqsQueue;
  private readonly ruleArns: string[] = [];
  private readonly policyDocument: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, queueName: string) {
    super(scope, id);
    this.queue = new SqsQueue(this, 'Queue', {
      name: queueName,
      messageRetentionSeconds: DLQ_MESSAGE_RETENTION_SECONDS,
      // SSE-SQS: encrypted at rest without a key policy to maintain. (The AWS managed key aws/sqs would not work:
      // its key policy cannot grant EventBridge.)
      sqsManagedSseEnabled: true,
    });
    this.policyDocument = new DataAwsIamPolicyDocument(this, 'PolicyDocument', {});
    new SqsQueuePolicy(this, 'Policy', { queueUrl: this.queue.url, policy: this.policyDocument.json });
  }

  /** Allows the rule to send failed events to this queue (confused-deputy safe: scoped by `aws:SourceArn`). */
  allowRule(ruleArn: string): void {
    this.ruleArns.push(ruleArn);
    this.policyDocument.putStatement([
      {
        sid: 'AllowEventBridgeRulesOfThisFunction',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: [EVENTS_PRINCIPAL] }],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.arn],
        condition: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: [...this.ruleArns] }],
      },
    ]);
  }
}

/** What a trigger needs to know about its function. */
export interface TriggerTarget {
  /** Function ARN (token). */
  readonly functionArn: string;
  /** Function name (token). */
  readonly functionName: string;
  /** Readable base for derived rule names (a literal; not a token). */
  readonly readableName: string;
}

/** Identity of one trigger. */
export interface TriggerIdentity {
  /** The id passed to `addEventBridgeTrigger`: readable part of derived names. */
  readonly triggerId: string;
  /** Construct scope holding the trigger's resources; its path makes derived names unique. */
  readonly scope: Construct;
}

/** Creates rule + target + permission for one trigger under `scope`; returns the rule. Options must be validated. */
export function createEventBridgeTrigger(
  { triggerId, scope }: TriggerIdentity,
  target: TriggerTarget,
  dlq: EventBridgeDeadLetterQueue,
  options: EventBridgeTriggerOptions,
): CloudwatchEventRule {
  const defaults = NODEJS_FUNCTION_DEFAULTS.trigger;
  const ruleName =
    options.ruleName ??
    deterministicName(`${target.readableName}-${triggerId}`, scope.node.path, 64, /[^A-Za-z0-9._-]/g);

  const rule = new CloudwatchEventRule(scope, 'Rule', {
    name: ruleName,
    description: options.description,
    // Default event bus: AWS service events (Auto Scaling, ECS, EC2) and schedules are delivered there.
    eventPattern: options.eventPattern === undefined ? undefined : toJsonString(options.eventPattern),
    scheduleExpression: options.scheduleExpression,
  });

  new CloudwatchEventTarget(scope, 'Target', {
    rule: rule.name,
    targetId: 'Function',
    arn: target.functionArn,
    input: options.input === undefined ? undefined : toJsonString(options.input),
    retryPolicy: {
      maximumRetryAttempts: options.maximumRetryAttempts ?? defaults.maximumRetryAttempts,
      maximumEventAgeInSeconds: options.maximumEventAgeSeconds ?? defaults.maximumEventAgeSeconds,
    },
    deadLetterConfig: { arn: dlq.queue.arn },
  });
  dlq.allowRule(rule.arn);

  // Scoped to this rule's ARN (Checkov CKV_AWS_301 / CKV_AWS_364): no other rule or account can invoke through it.
  new LambdaPermission(scope, 'Permission', {
    statementId: deterministicName(`AllowEventBridge-${triggerId}`, scope.node.path, 100),
    action: 'lambda:InvokeFunction',
    functionName: target.functionName,
    principal: EVENTS_PRINCIPAL,
    sourceArn: rule.arn,
  });
  return rule;
}
