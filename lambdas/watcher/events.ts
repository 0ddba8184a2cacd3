/**
 * Watcher triggers → what to evaluate. Schema-checked with zod; foreign or unknown events become `{ kind: 'ignore' }`
 * (logged once by the handler), never an exception.
 *
 * - EventBridge schedule ("Scheduled Event") or a manual `{}` invocation → sweep every node group.
 * - Auto Scaling instance refresh events of a managed ASG → refresh outcome handling (notify / rollback).
 * - Auto Scaling activity events of a managed ASG: "EC2 Instance Launch Unsuccessful" → check the watcher's running
 *   refresh (abandoned launches, deadline) and its rollback; any other (the rule delivers "EC2 Instance Terminate
 *   Successful") → the next step of a rollback in progress only (one GetParameter when there is none).
 * - SNS messages from the configured legacy ECS AMI topic (off unless `legacyAmiTopicArn` is set) → sweep.
 * - SSM "Parameter Store Change" for an auto node group's approved parameter → resume that group (finish a pending
 *   promotion: SSM emits the event once its asynchronous aws:ec2:image validation has succeeded or failed); for the
 *   pause switch → resume every auto group. Any other parameter name is ignored.
 */
import { z } from 'zod';
import { findNodeGroupByAsg, WatcherConfig, WatcherNodeGroup } from './config';
import { REFRESH_EVENT_KINDS, RefreshEventKind } from './refresh-outcome-decision';

export const SCHEDULED_DETAIL_TYPE = 'Scheduled Event';
export const BAKING_DETAIL_TYPE = 'EC2 Auto Scaling Instance Refresh Started Baking';
/** The Auto Scaling activity events the watcher's rule delivers (lib/watcher/ami-watcher.ts) and it acts on. */
export const ACTIVITY_DETAIL_TYPES: ReadonlySet<string> = new Set([
  'EC2 Instance Launch Unsuccessful',
  'EC2 Instance Terminate Successful',
]);

export type WatcherTrigger =
  | { readonly kind: 'sweep'; readonly why: string }
  | {
      readonly kind: 'refresh';
      readonly group: WatcherNodeGroup;
      readonly event: RefreshEventKind;
      readonly refreshId: string;
      readonly checkpoint?: { readonly percentage?: string; readonly delaySeconds?: string };
    }
  | {
      readonly kind: 'activity';
      readonly group: WatcherNodeGroup;
      readonly why: string;
      /** A launch failed: the running refresh is checked too (otherwise only a rollback in progress). */
      readonly launchFailed: boolean;
    }
  | {
      readonly kind: 'resume';
      readonly groups: readonly WatcherNodeGroup[];
      readonly why: string;
      /** The pause switch changed (a held promotion resumes when it is off). */
      readonly pauseSwitch?: boolean;
    }
  | { readonly kind: 'ignore'; readonly reason: string };

const envelopeSchema = z.object({ 'detail-type': z.string(), source: z.string(), detail: z.unknown() }).passthrough();

// The documented samples carry CheckpointPercentage / CheckpointDelay as strings; accept numbers too.
const numberish = z.union([z.string(), z.number()]).transform(String).optional();

const refreshDetailSchema = z
  .object({
    InstanceRefreshId: z.string().min(1),
    AutoScalingGroupName: z.string().min(1),
    CheckpointPercentage: numberish,
    CheckpointDelay: numberish,
  })
  .passthrough();

const activityDetailSchema = z
  .object({ AutoScalingGroupName: z.string().min(1), EC2InstanceId: z.string().optional() })
  .passthrough();

const snsEventSchema = z
  .object({
    Records: z
      .array(
        z
          .object({
            EventSource: z.literal('aws:sns'),
            Sns: z.object({ TopicArn: z.string(), MessageId: z.string().optional() }).passthrough(),
          })
          .passthrough(),
      )
      .min(1),
  })
  .passthrough();

export const PARAMETER_CHANGE_DETAIL_TYPE = 'Parameter Store Change';

// Documented detail: { operation, name, type, description? }; a failed aws:ec2:image validation adds `exception` and
// `dataType` (see __tests__/fixtures/aws-events/SOURCES.md).
const parameterChangeSchema = z
  .object({ name: z.string().min(1), operation: z.string().optional(), exception: z.string().optional() })
  .passthrough();

/** Parameter names compare without the leading "/" (the documented samples show names without one). */
export function sameParameterName(a: string | undefined, b: string): boolean {
  return a !== undefined && a.replace(/^\//, '') === b.replace(/^\//, '');
}

function routeParameterChange(detail: unknown, config: WatcherConfig): WatcherTrigger {
  const parsed = parameterChangeSchema.safeParse(detail);
  if (!parsed.success)
    return { kind: 'ignore', reason: `malformed ${PARAMETER_CHANGE_DETAIL_TYPE} (${issues(parsed.error)})` };
  const { name, operation, exception } = parsed.data;
  const why =
    `${PARAMETER_CHANGE_DETAIL_TYPE} ${operation ?? '?'} ${name}` +
    `${exception ? ` (exception: ${exception.slice(0, 120)})` : ''}`;
  const auto = config.nodeGroups.filter((g) => g.mode === 'auto');
  const owner = auto.filter((g) => sameParameterName(g.approvedParameterName, name));
  if (owner.length > 0) return { kind: 'resume', groups: owner, why };
  if (sameParameterName(config.pauseParameterName, name)) {
    return auto.length > 0
      ? { kind: 'resume', groups: auto, why, pauseSwitch: true }
      : { kind: 'ignore', reason: `${why}: no node group in auto mode` };
  }
  return { kind: 'ignore', reason: `parameter ${name} is not an approved parameter of this watcher` };
}

function issues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

function routeSns(event: unknown, config: WatcherConfig): WatcherTrigger | undefined {
  const sns = snsEventSchema.safeParse(event);
  if (!sns.success) return undefined;
  const topics = sns.data.Records.map((record) => record.Sns.TopicArn);
  if (config.legacyAmiTopicArn === undefined)
    return { kind: 'ignore', reason: 'SNS trigger is off (legacyAmiTopicArn not configured)' };
  if (!topics.includes(config.legacyAmiTopicArn))
    return { kind: 'ignore', reason: `SNS topic ${topics.join(', ')} is not ${config.legacyAmiTopicArn}` };
  return { kind: 'sweep', why: 'legacy ECS AMI SNS message' };
}

export function routeWatcherEvent(event: unknown, config: WatcherConfig): WatcherTrigger {
  if (event === undefined || event === null) return { kind: 'sweep', why: 'manual invocation' };
  if (typeof event === 'object' && !Array.isArray(event) && Object.keys(event).length === 0)
    return { kind: 'sweep', why: 'manual invocation' };
  const sns = routeSns(event, config);
  if (sns !== undefined) return sns;

  const envelope = envelopeSchema.safeParse(event);
  if (!envelope.success)
    return { kind: 'ignore', reason: `not an EventBridge or SNS event (${issues(envelope.error)})` };
  const { 'detail-type': detailType, source, detail } = envelope.data;

  if (source === 'aws.events' && detailType === SCHEDULED_DETAIL_TYPE) return { kind: 'sweep', why: 'schedule' };
  if (source === 'aws.ssm' && detailType === PARAMETER_CHANGE_DETAIL_TYPE) return routeParameterChange(detail, config);
  if (source !== 'aws.autoscaling')
    return { kind: 'ignore', reason: `${source} / ${detailType} is not handled by the AMI watcher` };
  if (detailType === BAKING_DETAIL_TYPE) return { kind: 'ignore', reason: 'refresh baking needs no action' };

  // Own keys only: a detail-type such as "toString" must not find Object.prototype's method.
  const refreshKind = Object.hasOwn(REFRESH_EVENT_KINDS, detailType)
    ? (REFRESH_EVENT_KINDS as Record<string, RefreshEventKind>)[detailType]
    : undefined;
  if (refreshKind !== undefined) {
    const parsed = refreshDetailSchema.safeParse(detail);
    if (!parsed.success) return { kind: 'ignore', reason: `malformed ${detailType} (${issues(parsed.error)})` };
    const group = findNodeGroupByAsg(config, parsed.data.AutoScalingGroupName);
    if (group === undefined)
      return { kind: 'ignore', reason: `ASG ${parsed.data.AutoScalingGroupName} is not managed by this watcher` };
    const checkpoint =
      refreshKind === 'CheckpointReached'
        ? { percentage: parsed.data.CheckpointPercentage, delaySeconds: parsed.data.CheckpointDelay }
        : undefined;
    return {
      kind: 'refresh',
      group,
      event: refreshKind,
      refreshId: parsed.data.InstanceRefreshId,
      ...(checkpoint ? { checkpoint } : {}),
    };
  }

  if (ACTIVITY_DETAIL_TYPES.has(detailType)) {
    const parsed = activityDetailSchema.safeParse(detail);
    if (!parsed.success) return { kind: 'ignore', reason: `malformed ${detailType} (${issues(parsed.error)})` };
    const group = findNodeGroupByAsg(config, parsed.data.AutoScalingGroupName);
    if (group === undefined)
      return { kind: 'ignore', reason: `ASG ${parsed.data.AutoScalingGroupName} is not managed by this watcher` };
    const why = `${detailType} ${parsed.data.EC2InstanceId ?? ''}`.trim();
    return { kind: 'activity', group, why, launchFailed: detailType === 'EC2 Instance Launch Unsuccessful' };
  }
  return { kind: 'ignore', reason: `${source} / ${detailType} is not handled by the AMI watcher` };
}
