/**
 * Auto Scaling reads and writes of the watcher: the group's instances (+ their AMIs through EC2), instance refreshes
 * (describe, start, cancel) and the scaling activities a refresh is judged by. Throttling → RetryLaterError.
 */
import {
  CancelInstanceRefreshCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeScalingActivitiesCommand,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling';
import type { StartRefreshPreferences } from '../../../lib/refresh/refresh-preferences';
import { SendClient } from '../../shared/aws-client';
import { callAws, errorMessage, errorName } from '../../shared/aws-errors';
import { classifyActivities, type ActivityRecord } from '../refresh-evidence';
import { FleetView, isActiveRefresh, RefreshEvidence, RefreshView } from '../types';
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
 * Starts a Rolling refresh of the whole group with preferences rendered by lib/refresh/refresh-preferences.ts (the
 * rollout's, or the rollback's). InstanceRefreshInProgress → not started (another refresh runs; the next trigger
 * retries).
 */
export async function startInstanceRefresh(
  autoScaling: SendClient,
  asgName: string,
  preferences: StartRefreshPreferences,
): Promise<StartRefreshResult> {
  try {
    const output = await callAws('StartInstanceRefresh', () =>
      autoScaling.send(
        new StartInstanceRefreshCommand({
          AutoScalingGroupName: asgName,
          Strategy: 'Rolling',
          Preferences: {
            ...preferences,
            ...(preferences.CheckpointPercentages
              ? { CheckpointPercentages: [...preferences.CheckpointPercentages] }
              : {}),
            ...(preferences.AlarmSpecification
              ? { AlarmSpecification: { Alarms: [...preferences.AlarmSpecification.Alarms] } }
              : {}),
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
 * CancelInstanceRefresh: the refresh goes Cancelling, then Cancelled; replacements already made stay (AWS, "Cancel an
 * instance refresh"). ActiveInstanceRefreshNotFound → it already ended.
 */
export async function cancelInstanceRefresh(
  autoScaling: SendClient,
  asgName: string,
): Promise<'cancelling' | 'not-active'> {
  try {
    await callAws('CancelInstanceRefresh', () =>
      autoScaling.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: asgName })),
    );
    return 'cancelling';
  } catch (error) {
    if (/ActiveInstanceRefreshNotFound/.test(errorName(error))) return 'not-active';
    throw error;
  }
}

/** Scaling activities are listed newest first: page until one started before `since` (at most 10 pages of 100). */
export async function describeRefreshEvidence(
  autoScaling: SendClient,
  asgName: string,
  since: Date,
): Promise<RefreshEvidence> {
  const activities: ActivityRecord[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < 10; page++) {
    const output = await callAws('DescribeScalingActivities', () =>
      autoScaling.send(
        new DescribeScalingActivitiesCommand({ AutoScalingGroupName: asgName, MaxRecords: 100, NextToken: nextToken }),
      ),
    );
    const batch = ((output.Activities ?? []) as ActivityRecord[]).map((a) => ({
      ...a,
      StartTime: a.StartTime ? new Date(a.StartTime) : undefined,
    }));
    activities.push(...batch);
    nextToken = output.NextToken;
    const oldest = batch[batch.length - 1]?.StartTime;
    if (!nextToken || (oldest !== undefined && oldest.getTime() < since.getTime())) break;
  }
  return classifyActivities(activities, since);
}
