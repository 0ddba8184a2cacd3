/**
 * The lifecycle gates' EventBridge rules, as pure data: the construct (lib/gates) deploys them, the gate handlers route
 * exactly what they deliver (lambdas/gates/events.ts imports the same statuses), and the simulator's EventBridge
 * evaluates these very patterns. No cdktf here: list values may be Terraform tokens, the builders only place them.
 *
 * The container-instance rules filter on fields AWS's documented "ECS Container Instance State Change" event carries
 * (clusterArn, status — ecs_container_instance_events.html); the documented event has no task counts. ECS emits the
 * event on every task placement and stop too, so the handlers drop the ones whose resources show tasks still placed
 * (remainingResources < registeredResources) without an AWS call: what remains is a registration (launch gate) or a
 * draining instance whose last task just stopped (drain gate).
 */
import { DETAIL_TYPES, EVENT_SOURCES, type TriggerRule } from './event-types';

/** Container-instance statuses that make the launch gate re-check an instance at once. */
export const LAUNCH_RECHECK_STATUSES = ['ACTIVE', 'REGISTRATION_FAILED'] as const;
/** Container-instance statuses that make the drain gate re-check an instance at once. */
export const DRAIN_RECHECK_STATUSES = ['DRAINING'] as const;

export interface GateTriggerInput {
  /** ECS cluster ARN (token allowed). */
  readonly clusterArn: string;
  /** Auto Scaling groups whose hook this gate holds (a list or one Terraform list token). */
  readonly asgNames: readonly string[];
  /** Name of the gate's lifecycle hook in those groups. */
  readonly hookName: string;
  /** EventBridge schedule of the sweep. */
  readonly sweepSchedule: string;
}

function lifecycleRule(id: string, detailType: string, input: GateTriggerInput, gate: string): TriggerRule {
  return {
    id,
    description: `${detailType} of the node groups → ${gate}`,
    eventPattern: {
      source: [EVENT_SOURCES.autoScaling],
      'detail-type': [detailType],
      detail: { AutoScalingGroupName: input.asgNames, LifecycleHookName: [input.hookName] },
    },
  };
}

function containerInstanceRule(statuses: readonly string[], input: GateTriggerInput, description: string): TriggerRule {
  return {
    id: 'instance-state',
    description,
    eventPattern: {
      source: [EVENT_SOURCES.ecs],
      'detail-type': [DETAIL_TYPES.containerInstanceStateChange],
      detail: { clusterArn: [input.clusterArn], status: [...statuses] },
    },
  };
}

function sweepRule(input: GateTriggerInput): TriggerRule {
  return {
    id: 'sweep',
    description: 'Sweep: re-evaluate every instance waiting at the gate (lost or late events)',
    scheduleExpression: input.sweepSchedule,
  };
}

export function launchGateRules(input: GateTriggerInput): TriggerRule[] {
  return [
    lifecycleRule('launch-lifecycle', DETAIL_TYPES.launchLifecycleAction, input, 'launch gate'),
    containerInstanceRule(
      LAUNCH_RECHECK_STATUSES,
      input,
      'A container instance of the cluster is ACTIVE or REGISTRATION_FAILED → launch gate (registrations count)',
    ),
    sweepRule(input),
  ];
}

export function drainGateRules(input: GateTriggerInput): TriggerRule[] {
  return [
    lifecycleRule('terminate-lifecycle', DETAIL_TYPES.terminateLifecycleAction, input, 'drain gate'),
    containerInstanceRule(
      DRAIN_RECHECK_STATUSES,
      input,
      'A container instance of the cluster is DRAINING → drain gate (the one whose last task stopped counts)',
    ),
    sweepRule(input),
  ];
}
