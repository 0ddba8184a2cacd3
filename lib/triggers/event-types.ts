/**
 * Sources and detail types of the AWS events our rules match, defined once for the rules (lib/triggers), the handlers'
 * routing (lambdas/*\/events.ts) and the simulator. Values as AWS documents them: "Amazon EC2 Auto Scaling event
 * reference" (ec2-auto-scaling-event-reference.html), "Amazon ECS events" (ecs_cwe_events.html), "Amazon EventBridge
 * scheduled rules" (Scheduled Event), "Monitoring Systems Manager events with Amazon EventBridge" (Parameter Store
 * Change).
 */
export const EVENT_SOURCES = {
  autoScaling: 'aws.autoscaling',
  ecs: 'aws.ecs',
  schedule: 'aws.events',
  ssm: 'aws.ssm',
} as const;

export const DETAIL_TYPES = {
  launchLifecycleAction: 'EC2 Instance-launch Lifecycle Action',
  terminateLifecycleAction: 'EC2 Instance-terminate Lifecycle Action',
  containerInstanceStateChange: 'ECS Container Instance State Change',
  scheduled: 'Scheduled Event',
  parameterStoreChange: 'Parameter Store Change',
  /** Every "EC2 Auto Scaling Instance Refresh …" event starts with this. */
  instanceRefreshPrefix: 'EC2 Auto Scaling Instance Refresh',
  launchSuccessful: 'EC2 Instance Launch Successful',
  launchUnsuccessful: 'EC2 Instance Launch Unsuccessful',
  terminateSuccessful: 'EC2 Instance Terminate Successful',
  terminateUnsuccessful: 'EC2 Instance Terminate Unsuccessful',
} as const;

/** An EventBridge event pattern (the JSON `aws events put-rule --event-pattern` takes). */
export type EventPattern = Readonly<Record<string, unknown>>;

/** One EventBridge rule: an event pattern or a schedule, and what it is for. */
export interface TriggerRule {
  /** Construct id of the trigger; part of the derived rule name, so it must stay stable. */
  readonly id: string;
  readonly description: string;
  readonly eventPattern?: EventPattern;
  readonly scheduleExpression?: string;
}
