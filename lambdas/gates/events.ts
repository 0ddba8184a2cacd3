/**
 * EventBridge events → what the gate should check. Everything is schema-checked with zod; anything unknown or
 * foreign (other detail-type, ASG, cluster or hook) becomes `{ kind: 'ignore', reason }`, never an exception.
 */
import { z } from 'zod';
import { GateConfig, findNodeGroupByAsg } from '../shared/config';

export type GateKind = 'launch' | 'drain';

export const LAUNCH_LIFECYCLE_DETAIL_TYPE = 'EC2 Instance-launch Lifecycle Action';
export const TERMINATE_LIFECYCLE_DETAIL_TYPE = 'EC2 Instance-terminate Lifecycle Action';
export const CONTAINER_INSTANCE_DETAIL_TYPE = 'ECS Container Instance State Change';
export const TASK_DETAIL_TYPE = 'ECS Task State Change';
export const SCHEDULED_DETAIL_TYPE = 'Scheduled Event';

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

const containerInstanceDetailSchema = z
  .object({
    clusterArn: z.string(),
    ec2InstanceId: z.string().regex(/^i-[0-9a-zA-Z]+$/),
    containerInstanceArn: z.string().optional(),
    status: z.string(),
    agentConnected: z.boolean().optional(),
  })
  .passthrough();

const taskDetailSchema = z
  .object({ clusterArn: z.string(), lastStatus: z.string(), containerInstanceArn: z.string().optional() })
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
      readonly destination?: string;
    }
  | {
      readonly kind: 'instance';
      readonly instanceId: string;
      readonly why: string;
      /** From the container-instance event: saves the ListContainerInstances lookup. */
      readonly containerInstanceArn?: string;
    }
  | { readonly kind: 'container-instance'; readonly containerInstanceArn: string; readonly why: string }
  | { readonly kind: 'sweep' }
  | { readonly kind: 'ignore'; readonly reason: string };

/** Container-instance statuses worth an immediate re-check, per gate (other changes wait for the sweep). */
const RECHECK_STATUSES: Record<GateKind, ReadonlySet<string>> = {
  // Registration finished (or failed), or the agent (re)connected / reported health.
  launch: new Set(['ACTIVE', 'REGISTRATION_FAILED']),
  // Our DRAINING took effect, or the instance deregistered under us.
  drain: new Set(['DRAINING', 'DEREGISTERING', 'INACTIVE']),
};

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

  if (source === 'aws.events' && detailType === SCHEDULED_DETAIL_TYPE) return { kind: 'sweep' };

  const lifecycleType = gate === 'launch' ? LAUNCH_LIFECYCLE_DETAIL_TYPE : TERMINATE_LIFECYCLE_DETAIL_TYPE;
  if (source === 'aws.autoscaling' && detailType === lifecycleType) {
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
      eventTime: parseTime(envelope.data.time),
      destination: d.Destination,
    };
  }

  if (source === 'aws.ecs' && detailType === CONTAINER_INSTANCE_DETAIL_TYPE) {
    const parsed = containerInstanceDetailSchema.safeParse(detail);
    if (!parsed.success) return { kind: 'ignore', reason: `malformed ${detailType} (${issues(parsed.error)})` };
    if (parsed.data.clusterArn !== config.clusterArn)
      return { kind: 'ignore', reason: `cluster ${parsed.data.clusterArn} is not ${config.clusterArn}` };
    if (!RECHECK_STATUSES[gate].has(parsed.data.status)) {
      return { kind: 'ignore', reason: `container instance status ${parsed.data.status} needs no ${gate} re-check` };
    }
    return {
      kind: 'instance',
      instanceId: parsed.data.ec2InstanceId,
      why: `container instance ${parsed.data.status}`,
      containerInstanceArn: parsed.data.containerInstanceArn,
    };
  }

  if (gate === 'drain' && source === 'aws.ecs' && detailType === TASK_DETAIL_TYPE) {
    const parsed = taskDetailSchema.safeParse(detail);
    if (!parsed.success) return { kind: 'ignore', reason: `malformed ${detailType} (${issues(parsed.error)})` };
    if (parsed.data.clusterArn !== config.clusterArn)
      return { kind: 'ignore', reason: `cluster ${parsed.data.clusterArn} is not ${config.clusterArn}` };
    if (parsed.data.lastStatus !== 'STOPPED')
      return { kind: 'ignore', reason: `task is ${parsed.data.lastStatus}, not STOPPED` };
    if (!parsed.data.containerInstanceArn)
      return { kind: 'ignore', reason: 'task has no container instance (Fargate)' };
    return { kind: 'container-instance', containerInstanceArn: parsed.data.containerInstanceArn, why: 'task stopped' };
  }

  return { kind: 'ignore', reason: `${source} / ${detailType} is not handled by the ${gate} gate` };
}
