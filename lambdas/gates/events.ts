/**
 * EventBridge events → what the gate should check. The gates route exactly what their rules deliver
 * (lib/triggers/gate-triggers.ts: same detail types, same statuses), so a route exists for every rule and none without
 * one. Everything is schema-checked with zod; anything unknown or foreign (other detail-type, ASG, cluster or hook)
 * becomes `{ kind: 'ignore', reason }`, never an exception. Events reach a gate one by one (EventBridge → Lambda) or in
 * batches through its SQS buffer (the message body is the event): `eventsOf` unpacks both.
 */
import { z } from 'zod';
import { DETAIL_TYPES, EVENT_SOURCES } from '../../lib/triggers/event-types';
import { DRAIN_RECHECK_STATUSES, LAUNCH_RECHECK_STATUSES } from '../../lib/triggers/gate-triggers';
import { GateConfig, findNodeGroupByAsg } from '../shared/config';
import { holdsResources } from './resources';

export type GateKind = 'launch' | 'drain';

const envelopeSchema = z
  .object({ 'detail-type': z.string(), source: z.string(), time: z.string().optional(), detail: z.unknown() })
  .passthrough();

const lifecycleDetailSchema = z
  .object({
    LifecycleActionToken: z.string().min(1),
    AutoScalingGroupName: z.string().min(1),
    LifecycleHookName: z.string().min(1),
    EC2InstanceId: z.string().regex(/^i-[0-9a-zA-Z]+$/),
    LifecycleTransition: z.string(),
    NotificationMetadata: z.string().optional(),
    Origin: z.string().optional(),
    Destination: z.string().optional(),
  })
  .passthrough();

const resourceSchema = z.object({ name: z.string().optional(), integerValue: z.number().optional() }).passthrough();

const containerInstanceDetailSchema = z
  .object({
    clusterArn: z.string(),
    ec2InstanceId: z.string().regex(/^i-[0-9a-zA-Z]+$/),
    containerInstanceArn: z.string().optional(),
    status: z.string(),
    agentConnected: z.boolean().optional(),
    registeredResources: z.array(resourceSchema).optional(),
    remainingResources: z.array(resourceSchema).optional(),
  })
  .passthrough();

export type GateTrigger =
  | {
      readonly kind: 'lifecycle';
      readonly instanceId: string;
      readonly asgName: string;
      readonly hookName: string;
      readonly token: string;
      /** When the lifecycle action started (the event time); undefined if the event carries no valid time. */
      readonly eventTime?: Date;
      /** Warm pools: EC2 | AutoScalingGroup | WarmPool. */
      readonly origin?: string;
      readonly destination?: string;
    }
  | {
      readonly kind: 'instance';
      readonly instanceId: string;
      readonly why: string;
      /** From the container-instance event: saves the ListContainerInstances lookup. */
      readonly containerInstanceArn?: string;
    }
  | { readonly kind: 'sweep' }
  | {
      readonly kind: 'ignore';
      readonly reason: string;
      /** Routine ECS noise (a placement, a status this gate does not wait for): logged at debug level only. */
      readonly routine?: boolean;
    };

/** Container-instance statuses worth an immediate re-check, per gate: those its rule delivers. */
const RECHECK_STATUSES: Record<GateKind, ReadonlySet<string>> = {
  launch: new Set(LAUNCH_RECHECK_STATUSES),
  drain: new Set(DRAIN_RECHECK_STATUSES),
};

/** A message of the gate's SQS buffer, or a direct invocation (then `messageId` is undefined). */
export interface DeliveredEvent {
  readonly messageId?: string;
  readonly event: unknown;
}

const sqsBatchSchema = z.object({
  Records: z.array(z.object({ messageId: z.string(), body: z.string() }).passthrough()),
});

/** The events of an invocation: the records of an SQS batch (bodies parsed), or the EventBridge event itself. */
export function eventsOf(invocation: unknown): DeliveredEvent[] {
  const batch = sqsBatchSchema.safeParse(invocation);
  if (!batch.success) return [{ event: invocation }];
  return batch.data.Records.map((record) => {
    try {
      return { messageId: record.messageId, event: JSON.parse(record.body) as unknown };
    } catch {
      return { messageId: record.messageId, event: record.body };
    }
  });
}

function parseTime(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

function issues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
}

export function routeEvent(event: unknown, config: GateConfig, gate: GateKind): GateTrigger {
  const envelope = envelopeSchema.safeParse(event);
  if (!envelope.success) return { kind: 'ignore', reason: `not an EventBridge event (${issues(envelope.error)})` };
  const { 'detail-type': detailType, source, detail } = envelope.data;

  if (source === EVENT_SOURCES.schedule && detailType === DETAIL_TYPES.scheduled) return { kind: 'sweep' };
  const lifecycleType = gate === 'launch' ? DETAIL_TYPES.launchLifecycleAction : DETAIL_TYPES.terminateLifecycleAction;
  if (source === EVENT_SOURCES.autoScaling && detailType === lifecycleType) {
    return routeLifecycle(detail, detailType, parseTime(envelope.data.time), config, gate);
  }
  if (source === EVENT_SOURCES.ecs && detailType === DETAIL_TYPES.containerInstanceStateChange) {
    return routeContainerInstance(detail, detailType, config, gate);
  }
  return { kind: 'ignore', reason: `${source} / ${detailType} is not handled by the ${gate} gate` };
}

function routeLifecycle(
  detail: unknown,
  detailType: string,
  eventTime: Date | undefined,
  config: GateConfig,
  gate: GateKind,
): GateTrigger {
  const parsed = lifecycleDetailSchema.safeParse(detail);
  if (!parsed.success) return { kind: 'ignore', reason: `malformed ${detailType} (${issues(parsed.error)})` };
  const d = parsed.data;
  const group = findNodeGroupByAsg(config, d.AutoScalingGroupName);
  if (group === undefined)
    return { kind: 'ignore', reason: `ASG ${d.AutoScalingGroupName} is not managed by this gate` };
  const hook = gate === 'launch' ? group.launchHookName : group.terminateHookName;
  if (d.LifecycleHookName !== hook) {
    return {
      kind: 'ignore',
      reason: `lifecycle hook ${d.LifecycleHookName} is not ${hook} of ASG ${d.AutoScalingGroupName}`,
    };
  }
  return {
    kind: 'lifecycle',
    instanceId: d.EC2InstanceId,
    asgName: d.AutoScalingGroupName,
    hookName: d.LifecycleHookName,
    token: d.LifecycleActionToken,
    eventTime,
    origin: d.Origin,
    destination: d.Destination,
  };
}

function routeContainerInstance(detail: unknown, detailType: string, config: GateConfig, gate: GateKind): GateTrigger {
  const parsed = containerInstanceDetailSchema.safeParse(detail);
  if (!parsed.success) return { kind: 'ignore', reason: `malformed ${detailType} (${issues(parsed.error)})` };
  const d = parsed.data;
  if (d.clusterArn !== config.clusterArn)
    return { kind: 'ignore', reason: `cluster ${d.clusterArn} is not ${config.clusterArn}` };
  if (!RECHECK_STATUSES[gate].has(d.status)) {
    return { kind: 'ignore', reason: `container instance status ${d.status} needs no ${gate} re-check`, routine: true };
  }
  // ECS sends this event on every task placement and stop as well: only an instance without tasks is news here (a
  // registration, or the last task of a drain gone). No resources in the event → re-check to be safe.
  if (d.status !== 'REGISTRATION_FAILED' && holdsResources(d.registeredResources, d.remainingResources) === true) {
    return {
      kind: 'ignore',
      reason: `container instance of ${d.ec2InstanceId} is ${d.status} with tasks placed`,
      routine: true,
    };
  }
  return {
    kind: 'instance',
    instanceId: d.ec2InstanceId,
    why: `container instance ${d.status}`,
    containerInstanceArn: d.containerInstanceArn,
  };
}
