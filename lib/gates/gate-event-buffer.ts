/**
 * EventBridge → SQS → Lambda for one gate: the gate's rules send their events to an SQS queue, and an event source
 * mapping hands them to the function in batches, so one invocation serves every instance of a burst and the number of
 * invocations no longer grows with the number of events. Concurrency is the mapping's (maximum concurrency), never a
 * storm of throttled asynchronous invocations.
 *
 * AWS sources: "Using Lambda with Amazon SQS" / "Configuring scaling behavior for SQS event source mappings"
 * (services-sqs-configure.html, services-sqs-scaling.html): visibility timeout at least 6 × the function timeout,
 * batch size up to 10,000 with a batching window (above 10 a window of at least 1 s is required), maximum concurrency
 * 2–1000, partial batch responses (ReportBatchItemFailures), execution-role permissions sqs:ReceiveMessage,
 * sqs:DeleteMessage, sqs:GetQueueAttributes; "Amazon SQS queues as EventBridge targets" (a queue policy allowing
 * events.amazonaws.com, scoped by aws:SourceArn); SSE-SQS works with EventBridge (a KMS key would need a key policy).
 *
 * Terraform note: resources are created under the function's construct (`EventsBuffer`, `Trigger-<id>`) so the
 * module's naming (`prefixNames`) gives them the instance's prefix like the function's other companions.
 */
import { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { LambdaEventSourceMapping } from '@cdktf/provider-aws/lib/lambda-event-source-mapping';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SqsQueuePolicy } from '@cdktf/provider-aws/lib/sqs-queue-policy';
import { NodejsFunction } from '../function';
import { EventBridgeDeadLetterQueue } from '../function/eventbridge-trigger';
import { deterministicName } from '../function/names';
import { NODEJS_FUNCTION_DEFAULTS } from '../function/props';
import { toJsonString } from '../function/tokens';
import type { TriggerRule } from '../triggers/event-types';

/** The buffer's settings, defined once (the simulator models the same values). */
export const GATE_EVENT_BUFFER = {
  /** Events per invocation; EventBridge events are a few KB, far below Lambda's 6 MB payload. */
  batchSize: 100,
  /** Seconds the mapping waits to fill a batch (≥ 1 s is required above 10 messages). */
  maximumBatchingWindowSeconds: 1,
  /** Concurrent batches (the mapping's minimum is 2). */
  maximumConcurrency: 2,
  /** Visibility timeout as a multiple of the function timeout (AWS: at least 6). */
  visibilityTimeoutFactor: 6,
  /** Receives before a message moves to the dead-letter queue. */
  maxReceiveCount: 5,
  /** An event older than an hour is stale for a control loop: the sweep has re-derived the state by then. */
  messageRetentionSeconds: 3600,
} as const;

export class GateEventBuffer extends Construct {
  readonly queue: SqsQueue;
  private readonly deadLetterQueue: EventBridgeDeadLetterQueue;

  constructor(
    private readonly fn: NodejsFunction,
    timeoutSeconds: number,
  ) {
    super(fn, 'EventsBuffer');
    // The function's configured name (the module renames the whole family with its prefix afterwards).
    const name = fn.lambdaFunction.functionNameInput ?? deterministicName(fn.node.id, fn.node.path, 64);
    // One dead-letter queue for events EventBridge could not deliver and for messages that kept failing.
    this.deadLetterQueue = new EventBridgeDeadLetterQueue(fn, 'EventsDeadLetterQueue', `${name}-events-dlq`);
    this.queue = new SqsQueue(this, 'Queue', {
      name: `${name}-events`,
      visibilityTimeoutSeconds: GATE_EVENT_BUFFER.visibilityTimeoutFactor * timeoutSeconds,
      messageRetentionSeconds: GATE_EVENT_BUFFER.messageRetentionSeconds,
      // SSE-SQS: encrypted at rest, and EventBridge can send to it without a key policy.
      sqsManagedSseEnabled: true,
      redrivePolicy: toJsonString({
        deadLetterTargetArn: this.deadLetterQueue.queue.arn,
        maxReceiveCount: GATE_EVENT_BUFFER.maxReceiveCount,
      }),
    });
    fn.addToRolePolicy({
      sid: 'ReceiveOwnEvents',
      effect: 'Allow',
      actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      resources: [this.queue.arn],
    });
    const mapping = new LambdaEventSourceMapping(this, 'Mapping', {
      eventSourceArn: this.queue.arn,
      functionName: fn.functionArn,
      batchSize: GATE_EVENT_BUFFER.batchSize,
      maximumBatchingWindowInSeconds: GATE_EVENT_BUFFER.maximumBatchingWindowSeconds,
      functionResponseTypes: ['ReportBatchItemFailures'],
    });
    // Terraform note: cdktf renders the scaling_config block as a JSON object, which `terraform plan` (hashicorp/aws
    // 5.100.0) rejects ("missing expected ["); the block list is written out explicitly.
    mapping.addOverride('scaling_config', [{ maximum_concurrency: GATE_EVENT_BUFFER.maximumConcurrency }]);
    this.policyDocument = new DataAwsIamPolicyDocument(this, 'PolicyDocument', {});
    new SqsQueuePolicy(this, 'Policy', { queueUrl: this.queue.url, policy: this.policyDocument.json });
  }

  private readonly policyDocument: DataAwsIamPolicyDocument;
  private readonly ruleArns: string[] = [];

  /** An EventBridge rule (pattern or schedule) whose events go to the buffer. */
  addRule(rule: TriggerRule): CloudwatchEventRule {
    const scope = new Construct(this.fn, `Trigger-${rule.id}`);
    const defaults = NODEJS_FUNCTION_DEFAULTS.trigger;
    const created = new CloudwatchEventRule(scope, 'Rule', {
      name: deterministicName(`${this.fn.node.id}-${rule.id}`, scope.node.path, 64, /[^A-Za-z0-9._-]/g),
      description: rule.description,
      eventPattern: rule.eventPattern === undefined ? undefined : toJsonString(rule.eventPattern),
      scheduleExpression: rule.scheduleExpression,
    });
    new CloudwatchEventTarget(scope, 'Target', {
      rule: created.name,
      targetId: 'EventsBuffer',
      arn: this.queue.arn,
      retryPolicy: {
        maximumRetryAttempts: defaults.maximumRetryAttempts,
        maximumEventAgeInSeconds: defaults.maximumEventAgeSeconds,
      },
      deadLetterConfig: { arn: this.deadLetterQueue.queue.arn },
    });
    this.deadLetterQueue.allowRule(created.arn);
    this.allowRule(created.arn);
    return created;
  }

  /** Only this gate's rules may send to the buffer (confused-deputy safe: aws:SourceArn). */
  private allowRule(ruleArn: string): void {
    this.ruleArns.push(ruleArn);
    this.policyDocument.putStatement([
      {
        sid: 'AllowEventBridgeRulesOfThisGate',
        effect: 'Allow',
        principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
        actions: ['sqs:SendMessage'],
        resources: [this.queue.arn],
        condition: [{ test: 'ArnEquals', variable: 'aws:SourceArn', values: [...this.ruleArns] }],
      },
    ]);
  }
}
