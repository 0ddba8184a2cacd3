/**
 * Auto Scaling adapter: lifecycle states (batched reads) and lifecycle-action writes. Writes treat
 * "No active Lifecycle Action found" as already done, so duplicate invocations stay harmless.
 */
import {
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  RecordLifecycleActionHeartbeatCommand,
} from '@aws-sdk/client-auto-scaling';
import { SendClient } from '../../shared/aws-client';
import { callAws, isNoActiveLifecycleActionError } from '../../shared/aws-errors';
import { chunk } from '../../shared/collections';

/** DescribeAutoScalingInstances accepts at most 50 instance ids per call. */
export const ASG_INSTANCE_IDS_PER_CALL = 50;
/** DescribeAutoScalingGroups accepts at most 100 group names per call (MaxRecords ≤ 100). */
export const ASG_NAMES_PER_CALL = 100;

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

/** Every instance of the given groups whose lifecycle state is `lifecycleState` (the sweep). */
export async function listInstancesInState(
  autoScaling: SendClient,
  asgNames: readonly string[],
  lifecycleState: string,
): Promise<AsgInstanceState[]> {
  const found: AsgInstanceState[] = [];
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
        for (const instance of group.Instances ?? []) {
          if (instance.InstanceId && instance.LifecycleState === lifecycleState && group.AutoScalingGroupName) {
            found.push({ instanceId: instance.InstanceId, asgName: group.AutoScalingGroupName, lifecycleState });
          }
        }
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
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
