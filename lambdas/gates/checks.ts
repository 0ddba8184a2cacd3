/**
 * Triggers → the instances to check, resolved together so one invocation serves many instances: every lifecycle
 * event and ECS re-check of the batch in one DescribeAutoScalingInstances pass (50 ids per call), the sweep in one
 * DescribeAutoScalingGroups pass (plus DescribeWarmPool only for a group that has a warm pool). The event is a hint:
 * the gate acts on the state Auto Scaling reports now (duplicates and late events are normal).
 */
import { NodeGroupConfig, findNodeGroupByAsg } from '../shared/config';
import { AsgInstanceState, describeAsgInstances, listWaitingInstances } from './adapters/autoscaling';
import { GateDeps } from './deps';
import { GateKind, GateTrigger } from './events';
import { DRAIN_WAIT_STATES, LAUNCH_HOOK_WAIT_STATES } from './types';
import { GateWarmCache } from './warm-cache';

/** One instance a gate checks in this invocation. */
export interface InstanceCheck {
  readonly instanceId: string;
  readonly asgName: string;
  readonly nodeGroup: NodeGroupConfig;
  readonly hookName: string;
  /** undefined when Auto Scaling no longer lists the instance. */
  readonly lifecycleState?: string;
  /** When `lifecycleState` was requested from Auto Scaling (the sweep's listing or DescribeAutoScalingInstances). */
  readonly stateReadAt: Date;
  /** `lifecycleState` comes from the sweep's listing of whole groups (not from a read for this invocation's events). */
  readonly listedBySweep: boolean;
  readonly token?: string;
  /** Time of the lifecycle event (the start of the wait), when a lifecycle event asked for the check. */
  readonly eventTime?: Date;
  /**
   * A moment before the wait began, when known without the event: a sweep of this environment listed the instance
   * outside the gate's wait states then (the hook's heartbeat timer started later).
   */
  readonly waitStartedAfter?: Date;
  readonly origin?: string;
  readonly destination?: string;
  /** Container-instance ARN the trigger named (an ECS event): the runner need not look it up. */
  readonly containerInstanceArn?: string;
  /** SQS messages that asked for this check (partial batch failures name them). */
  readonly messageIds: readonly string[];
}

export interface RoutedTrigger {
  readonly trigger: GateTrigger;
  readonly messageId?: string;
}

export interface ResolvedChecks {
  /** Oldest wait first (a known event time before a later one; instances found by the sweep first). */
  readonly checks: InstanceCheck[];
  /** Why re-checks were dropped (logged at debug level: ECS events are frequent). */
  readonly skipped: readonly string[];
  /** Groups with a warm pool (unsupported): reported by the caller. */
  readonly warmPoolGroups: readonly string[];
}

export function waitStatesOf(gate: GateKind): ReadonlySet<string> {
  return gate === 'launch' ? LAUNCH_HOOK_WAIT_STATES : DRAIN_WAIT_STATES;
}

function hookOf(group: NodeGroupConfig, gate: GateKind): string {
  return gate === 'launch' ? group.launchHookName : group.terminateHookName;
}

/** The lifecycle state a warm-pool lifecycle event implies, for an instance Auto Scaling does not list as a member. */
function impliedState(trigger: GateTrigger): string | undefined {
  return trigger.kind === 'lifecycle' && trigger.destination === 'WarmPool' ? 'Warmed:Pending:Wait' : undefined;
}

export async function resolveChecks(
  routed: readonly RoutedTrigger[],
  deps: GateDeps,
  gate: GateKind,
  cache: GateWarmCache,
): Promise<ResolvedChecks> {
  const now = deps.now();
  const states = waitStatesOf(gate);
  const skipped: string[] = [];
  const byId = new Map<string, { state?: AsgInstanceState; readAt?: Date; routed: RoutedTrigger[] }>();
  const add = (id: string, item: RoutedTrigger, state?: AsgInstanceState): void => {
    const entry = byId.get(id) ?? { routed: [] };
    entry.routed.push(item);
    if (state !== undefined) Object.assign(entry, { state, readAt: now });
    byId.set(id, entry);
  };

  let warmPoolGroups: string[] = [];
  const sweeps = routed.filter((item) => item.trigger.kind === 'sweep');
  if (sweeps.length > 0) {
    const listed = await listWaitingInstances(
      deps.autoScaling,
      deps.config.nodeGroups.map((g) => g.asgName),
      states,
    );
    // `now` was read before the listing was requested: the instances it shows outside a wait were so at `now` or later.
    cache.rememberNotWaiting(listed.notWaiting, now);
    warmPoolGroups = listed.warmPoolGroups;
    for (const state of listed.instances) for (const sweep of sweeps) add(state.instanceId, sweep, state);
  }
  for (const item of routed) {
    const trigger = item.trigger;
    if (trigger.kind === 'lifecycle') {
      cache.forgetSettled(trigger.instanceId);
      add(trigger.instanceId, item);
    } else if (trigger.kind === 'instance') {
      if (cache.isSettled(trigger.instanceId, now) && !byId.has(trigger.instanceId)) {
        skipped.push(`${trigger.instanceId} was found past the ${gate} gate recently`);
      } else add(trigger.instanceId, item);
    }
  }
  const unknown = [...byId].filter(([, entry]) => entry.state === undefined).map(([id]) => id);
  const describedAt = deps.now();
  const described = unknown.length > 0 ? await describeAsgInstances(deps.autoScaling, unknown) : new Map();

  const checks: InstanceCheck[] = [];
  for (const [instanceId, entry] of byId) {
    const lifecycle = entry.routed.map((r) => r.trigger).find((t) => t.kind === 'lifecycle');
    const instance = entry.routed.map((r) => r.trigger).find((t) => t.kind === 'instance');
    const state: AsgInstanceState | undefined = entry.state ?? described.get(instanceId);
    const asgName = state?.asgName ?? (lifecycle?.kind === 'lifecycle' ? lifecycle.asgName : undefined);
    const group = findNodeGroupByAsg(deps.config, asgName);
    if (group === undefined) {
      skipped.push(
        `${instanceId} is ${asgName ? `in ASG ${asgName}, not managed by this gate` : 'in no Auto Scaling group'}`,
      );
      continue;
    }
    const lifecycleState = state?.lifecycleState ?? (lifecycle ? impliedState(lifecycle) : undefined);
    if (lifecycle === undefined && (lifecycleState === undefined || !states.has(lifecycleState))) {
      // An ECS re-check of an instance not waiting at this gate: nothing to do, and nothing to ask for a while.
      cache.rememberSettled(instanceId, now);
      skipped.push(`${instanceId} is ${lifecycleState ?? 'gone'}, not waiting at the ${gate} gate`);
      continue;
    }
    checks.push({
      instanceId,
      asgName: group.asgName,
      nodeGroup: group,
      hookName: hookOf(group, gate),
      lifecycleState,
      stateReadAt: entry.readAt ?? describedAt,
      listedBySweep: entry.readAt !== undefined,
      ...(lifecycle?.kind === 'lifecycle'
        ? {
            token: lifecycle.token,
            eventTime: lifecycle.eventTime,
            origin: lifecycle.origin,
            destination: lifecycle.destination,
          }
        : {}),
      waitStartedAfter: cache.notWaitingAt(instanceId),
      containerInstanceArn: instance?.kind === 'instance' ? instance.containerInstanceArn : undefined,
      messageIds: [...new Set(entry.routed.flatMap((r) => (r.messageId === undefined ? [] : [r.messageId])))],
    });
  }
  checks.sort((a, b) => (a.eventTime?.getTime() ?? 0) - (b.eventTime?.getTime() ?? 0));
  return { checks, skipped, warmPoolGroups };
}
