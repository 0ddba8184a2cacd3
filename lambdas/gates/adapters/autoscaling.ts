/**
 * Auto Scaling adapter: lifecycle states (batched reads) and lifecycle-action writes. Writes treat
 * "No active Lifecycle Action found" as already done, so duplicate invocations stay harmless.
 */
import {
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeWarmPoolCommand,
  RecordLifecycleActionHeartbeatCommand,
} from '@aws-sdk/client-auto-scaling';
import { SendClient } from '../../shared/aws-client';
import { callAws, isNoActiveLifecycleActionError } from '../../shared/aws-errors';
import { chunk } from '../../shared/collections';

/** DescribeAutoScalingInstances accepts at most 50 instance ids per call. */
export const ASG_INSTANCE_IDS_PER_CALL = 50;
/** DescribeAutoScalingGroups accepts at most 100 group names per call (MaxRecords ≤ 100). */
export const ASG_NAMES_PER_CALL = 100;
/**
 * Attempts per Auto Scaling call (the SDK's standard mode makes 3). Auto Scaling throttles every action of the account
 * in one shared bucket ("My Auto Scaling API calls are throttled", AWS Knowledge Center), which a large rollout fills
 * with the two lifecycle completions of every instance; a gate's call is worth waiting for (a completed drain), so
 * the gates back off longer — about 8 s more on average, within the invocation's time — before leaving the instance
 * to the next trigger.
 */
export const AUTO_SCALING_MAX_ATTEMPTS = 6;

/** DescribeWarmPool returns at most 50 instances per page (MaxRecords ≤ 50). */
export const WARM_POOL_PAGE_SIZE = 50;

export interface AsgInstanceState {
  readonly instanceId: string;
  readonly asgName: string;
  readonly lifecycleState: string;
}

/** Lifecycle state of each instance; instances the ASGs no longer know are absent from the map. */
export async function describeAsgInstances(
  autoScaling: SendClient,
  instanceIds: readonly string[],
): Promise<Map<string, AsgInstanceState>> {
  const states = new Map<string, AsgInstanceState>();
  for (const batch of chunk(instanceIds, ASG_INSTANCE_IDS_PER_CALL)) {
    let nextToken: string | undefined;
    do {
      const page = await callAws('DescribeAutoScalingInstances', () =>
        autoScaling.send(
          new DescribeAutoScalingInstancesCommand({
            InstanceIds: batch,
            MaxRecords: ASG_INSTANCE_IDS_PER_CALL,
            NextToken: nextToken,
          }),
        ),
      );
      for (const instance of page.AutoScalingInstances ?? []) {
        if (instance.InstanceId && instance.AutoScalingGroupName && instance.LifecycleState) {
          states.set(instance.InstanceId, {
            instanceId: instance.InstanceId,
            asgName: instance.AutoScalingGroupName,
            lifecycleState: instance.LifecycleState,
          });
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return states;
}

export interface WaitingInstances {
  readonly instances: AsgInstanceState[];
  /**
   * Members of the listed groups that were in none of `states` (InService, Pending, another hook's wait …): whatever
   * wait of this gate they enter later begins after this listing.
   */
  readonly notWaiting: string[];
  /** Groups that have a warm pool (DescribeAutoScalingGroups `WarmPoolConfiguration`): unsupported, reported. */
  readonly warmPoolGroups: string[];
}

/**
 * Every instance of the given groups whose lifecycle state is one of `states` (the sweep). Instances in a warm pool are
 * not group members: for a group that has one, and only when `states` names a Warmed:* state, DescribeWarmPool lists
 * them too (no call for groups without a warm pool).
 */
export async function listWaitingInstances(
  autoScaling: SendClient,
  asgNames: readonly string[],
  states: ReadonlySet<string>,
): Promise<WaitingInstances> {
  const instances: AsgInstanceState[] = [];
  const notWaiting: string[] = [];
  const warmPoolGroups: string[] = [];
  for (const batch of chunk(asgNames, ASG_NAMES_PER_CALL)) {
    let nextToken: string | undefined;
    do {
      const page = await callAws('DescribeAutoScalingGroups', () =>
        autoScaling.send(
          new DescribeAutoScalingGroupsCommand({
            AutoScalingGroupNames: batch,
            MaxRecords: ASG_NAMES_PER_CALL,
            NextToken: nextToken,
          }),
        ),
      );
      for (const group of page.AutoScalingGroups ?? []) {
        const asgName = group.AutoScalingGroupName;
        if (asgName === undefined) continue;
        if (group.WarmPoolConfiguration !== undefined) warmPoolGroups.push(asgName);
        for (const instance of group.Instances ?? []) {
          if (!instance.InstanceId || !instance.LifecycleState) continue;
          if (states.has(instance.LifecycleState)) {
            instances.push({ instanceId: instance.InstanceId, asgName, lifecycleState: instance.LifecycleState });
          } else notWaiting.push(instance.InstanceId);
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  if ([...states].some((state) => state.startsWith('Warmed:'))) {
    for (const asgName of warmPoolGroups) instances.push(...(await warmPoolInstances(autoScaling, asgName, states)));
  }
  return { instances, notWaiting, warmPoolGroups };
}

async function warmPoolInstances(
  autoScaling: SendClient,
  asgName: string,
  states: ReadonlySet<string>,
): Promise<AsgInstanceState[]> {
  const found: AsgInstanceState[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws('DescribeWarmPool', () =>
      autoScaling.send(
        new DescribeWarmPoolCommand({
          AutoScalingGroupName: asgName,
          MaxRecords: WARM_POOL_PAGE_SIZE,
          NextToken: nextToken,
        }),
      ),
    );
    for (const instance of page.Instances ?? []) {
      if (instance.InstanceId && instance.LifecycleState && states.has(instance.LifecycleState)) {
        found.push({ instanceId: instance.InstanceId, asgName, lifecycleState: instance.LifecycleState });
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return found;
}

export interface LifecycleActionRef {
  readonly asgName: string;
  readonly hookName: string;
  readonly instanceId: string;
  /** Token of the lifecycle event that triggered this check; without it the action is addressed by InstanceId. */
  readonly token?: string;
}

export type LifecycleWriteResult = 'done' | 'already-complete';

function target(ref: LifecycleActionRef) {
  return {
    AutoScalingGroupName: ref.asgName,
    LifecycleHookName: ref.hookName,
    ...(ref.token ? { LifecycleActionToken: ref.token } : { InstanceId: ref.instanceId }),
  };
}

export async function completeLifecycleAction(
  autoScaling: SendClient,
  ref: LifecycleActionRef,
  result: 'CONTINUE' | 'ABANDON',
): Promise<LifecycleWriteResult> {
  try {
    await callAws('CompleteLifecycleAction', () =>
      autoScaling.send(new CompleteLifecycleActionCommand({ ...target(ref), LifecycleActionResult: result })),
    );
    return 'done';
  } catch (error) {
    if (isNoActiveLifecycleActionError(error)) return 'already-complete';
    throw error;
  }
}

export async function recordLifecycleHeartbeat(
  autoScaling: SendClient,
  ref: LifecycleActionRef,
): Promise<LifecycleWriteResult> {
  try {
    await callAws('RecordLifecycleActionHeartbeat', () =>
      autoScaling.send(new RecordLifecycleActionHeartbeatCommand(target(ref))),
    );
    return 'done';
  } catch (error) {
    if (isNoActiveLifecycleActionError(error)) return 'already-complete';
    throw error;
  }
}
