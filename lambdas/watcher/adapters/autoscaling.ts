/**
 * Auto Scaling reads and writes of the watcher: the group's instances (+ their AMIs through EC2), instance refreshes,
 * StartInstanceRefresh and TerminateInstanceInAutoScalingGroup. Throttling → RetryLaterError.
 */
import {
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  StartInstanceRefreshCommand,
  TerminateInstanceInAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { SendClient } from '../../shared/aws-client';
import { callAws, errorMessage, errorName } from '../../shared/aws-errors';
import { RefreshPreferencesConfig } from '../config';
import { FleetView, isActiveRefresh, RefreshView } from '../types';
import { describeInstanceImages } from './ec2';

/** The group's desired capacity and instances with their AMI; undefined when the ASG does not exist. */
export async function describeFleet(
  autoScaling: SendClient,
  ec2: SendClient,
  asgName: string,
): Promise<FleetView | undefined> {
  let group:
    { DesiredCapacity?: number; Instances?: Array<{ InstanceId?: string; LifecycleState?: string }> } | undefined;
  let nextToken: string | undefined;
  do {
    const page = await callAws('DescribeAutoScalingGroups', () =>
      autoScaling.send(
        new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [asgName], NextToken: nextToken }),
      ),
    );
    group ??= (page.AutoScalingGroups ?? []).find(
      (g: { AutoScalingGroupName?: string }) => g.AutoScalingGroupName === asgName,
    );
    nextToken = page.NextToken;
  } while (nextToken);
  if (group === undefined) return undefined;
  const members = (group.Instances ?? []).filter(
    (i): i is { InstanceId: string; LifecycleState?: string } => !!i.InstanceId,
  );
  const images =
    members.length > 0
      ? await describeInstanceImages(
          ec2,
          members.map((i) => i.InstanceId),
        )
      : new Map<string, string>();
  return {
    desiredCapacity: group.DesiredCapacity ?? members.length,
    instances: members.map((i) => ({
      instanceId: i.InstanceId,
      lifecycleState: i.LifecycleState ?? 'unknown',
      imageId: images.get(i.InstanceId),
    })),
  };
}

function toView(refresh: {
  InstanceRefreshId?: string;
  Status?: string;
  StatusReason?: string;
  StartTime?: Date | string;
}): RefreshView | undefined {
  if (!refresh.InstanceRefreshId || !refresh.Status) return undefined;
  return {
    id: refresh.InstanceRefreshId,
    status: refresh.Status,
    statusReason: refresh.StatusReason,
    startTime: refresh.StartTime ? new Date(refresh.StartTime) : undefined,
  };
}

/**
 * The group's active refresh (Pending/InProgress/Cancelling/RollbackInProgress/Baking), if any. Refreshes are listed
 * newest first and only one can be active, so paging stops at the first ended refresh.
 */
export async function findActiveRefresh(autoScaling: SendClient, asgName: string): Promise<RefreshView | undefined> {
  let nextToken: string | undefined;
  do {
    const page = await callAws('DescribeInstanceRefreshes', () =>
      autoScaling.send(
        new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: asgName, MaxRecords: 10, NextToken: nextToken }),
      ),
    );
    for (const raw of page.InstanceRefreshes ?? []) {
      const view = toView(raw);
      if (view === undefined) continue;
      if (isActiveRefresh(view.status)) return view;
      return undefined;
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return undefined;
}

/** One refresh by id (the sweep checks how the watcher's last refresh ended); undefined when Auto Scaling forgot it. */
export async function describeRefresh(
  autoScaling: SendClient,
  asgName: string,
  refreshId: string,
): Promise<RefreshView | undefined> {
  const page = await callAws('DescribeInstanceRefreshes', () =>
    autoScaling.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: asgName, InstanceRefreshIds: [refreshId] }),
    ),
  );
  return (page.InstanceRefreshes ?? []).map(toView).find((view: RefreshView | undefined) => view?.id === refreshId);
}

export type StartRefreshResult =
  { readonly started: true; readonly refreshId: string } | { readonly started: false; readonly reason: string };

/**
 * Starts a Rolling refresh of the whole group. SkipMatching=false is required: the launch template (resolve:ssm:)
 * does not change when the AMI does, so with SkipMatching Auto Scaling would consider every instance up to date.
 * AutoRollback=false: Auto Scaling refuses it for launch templates that resolve their AMI from SSM; the watcher rolls
 * back itself. InstanceRefreshInProgress → not started (someone else's refresh runs; the next sweep retries).
 */
export async function startInstanceRefresh(
  autoScaling: SendClient,
  asgName: string,
  prefs: RefreshPreferencesConfig,
): Promise<StartRefreshResult> {
  try {
    const output = await callAws('StartInstanceRefresh', () =>
      autoScaling.send(
        new StartInstanceRefreshCommand({
          AutoScalingGroupName: asgName,
          Strategy: 'Rolling',
          Preferences: {
            MinHealthyPercentage: prefs.minHealthyPercentage,
            MaxHealthyPercentage: prefs.maxHealthyPercentage,
            InstanceWarmup: prefs.instanceWarmupSeconds,
            ...(prefs.checkpointPercentages ? { CheckpointPercentages: [...prefs.checkpointPercentages] } : {}),
            ...(prefs.checkpointDelaySeconds !== undefined ? { CheckpointDelay: prefs.checkpointDelaySeconds } : {}),
            SkipMatching: false,
            AutoRollback: false,
          },
        }),
      ),
    );
    const refreshId: string | undefined = output.InstanceRefreshId;
    if (!refreshId) throw new Error(`StartInstanceRefresh for ${asgName} returned no InstanceRefreshId`);
    return { started: true, refreshId };
  } catch (error) {
    if (errorName(error) === 'InstanceRefreshInProgressFault' || errorName(error) === 'InstanceRefreshInProgress') {
      return { started: false, reason: `an instance refresh is already in progress (${errorMessage(error)})` };
    }
    throw error;
  }
}

/**
 * Terminates one instance without lowering the desired capacity: Auto Scaling launches a replacement (from the approved
 * parameter) and the terminate lifecycle hook lets the drain gate drain it first. A ValidationError means the instance
 * is already gone or terminating: treated as done.
 */
export async function terminateInstance(
  autoScaling: SendClient,
  instanceId: string,
): Promise<'terminating' | 'already-gone'> {
  try {
    await callAws('TerminateInstanceInAutoScalingGroup', () =>
      autoScaling.send(
        new TerminateInstanceInAutoScalingGroupCommand({
          InstanceId: instanceId,
          ShouldDecrementDesiredCapacity: false,
        }),
      ),
    );
    return 'terminating';
  } catch (error) {
    if (errorName(error) === 'ValidationError') return 'already-gone';
    throw error;
  }
}
