/**
 * Auto Scaling, EC2 and SSM API operations over the simulated group and instances, with AWS's limits and shapes
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/): DescribeAutoScalingInstances at most 50 ids,
 * DescribeAutoScalingGroups / DescribeScalingActivities MaxRecords ≤ 100, lifecycle writes answer ValidationError
 * "No active Lifecycle Action found with instance ID i-…" when nothing waits.
 */
import type { AsgInstance, AutoScalingGroup } from './autoscaling';
import { awsError } from './errors';
import type { EventBus } from './eventbridge';
import type { Operation } from './fake-clients';
import { startInstanceRefresh, preferencesShape, type StartRefreshContext } from './start-instance-refresh';

/** What the Auto Scaling operations need from the world (sim/world.ts's World satisfies it). */
export interface AutoScalingApiContext extends StartRefreshContext {
  readonly asg: AutoScalingGroup;
  readonly bus: Pick<EventBus, 'publish' | 'publishCloudTrail'>;
}

type Input = Record<string, unknown>;

function validation(message: string): Error {
  return awsError('AutoScaling', 'ValidationError', message);
}

function records(input: Input, max = 100, fallback = 50): number {
  const size = (input.MaxRecords as number | undefined) ?? fallback;
  if (size < 1 || size > max) throw validation(`MaxRecords must be between 1 and ${max}`);
  return size;
}

export function autoScalingOperations(world: AutoScalingApiContext): Record<string, Operation> {
  const group = world.asg;
  const launchTemplate = (instance: AsgInstance) => ({
    LaunchTemplateId: 'lt-0sim0000000000001',
    LaunchTemplateName: `${group.name}-lt`,
    Version: String(instance.launchTemplateVersion),
  });
  const instanceShape = (instance: AsgInstance) => ({
    InstanceId: instance.id,
    InstanceType: 'm7i.large',
    AvailabilityZone: 'us-east-1a',
    LifecycleState: instance.lifecycleState,
    HealthStatus: 'Healthy',
    LaunchTemplate: launchTemplate(instance),
    ProtectedFromScaleIn: instance.protectedFromScaleIn,
  });

  return {
    DescribeAutoScalingInstances: (input) => {
      const ids = input.InstanceIds as string[] | undefined;
      if (ids && ids.length > 50) throw validation('The number of instance ids that may be passed in is 50');
      const size = records(input, 50, 50);
      const all = [...group.instances.values()].filter((i) => !ids || ids.includes(i.id));
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const slice = all.slice(start, start + size);
      return {
        AutoScalingInstances: slice.map((i) => ({ ...instanceShape(i), AutoScalingGroupName: group.name })),
        NextToken: start + size < all.length ? String(start + size) : undefined,
      };
    },
    DescribeAutoScalingGroups: (input) => {
      const names = input.AutoScalingGroupNames as string[] | undefined;
      records(input);
      if (names && !names.includes(group.name)) return { AutoScalingGroups: [] };
      return {
        AutoScalingGroups: [
          {
            AutoScalingGroupName: group.name,
            AutoScalingGroupARN: group.arn,
            MinSize: group.minSize,
            MaxSize: group.maxSize,
            DesiredCapacity: group.desired,
            DefaultCooldown: 300,
            AvailabilityZones: ['us-east-1a', 'us-east-1b', 'us-east-1c'],
            HealthCheckType: 'EC2',
            Instances: [...group.instances.values()].map(instanceShape),
            CreatedTime: world.sim.date(0),
          },
        ],
      };
    },
    CompleteLifecycleAction: (input) => {
      group.complete(input);
      return {};
    },
    RecordLifecycleActionHeartbeat: (input) => {
      group.heartbeat(input);
      world.bus.publishCloudTrail('RecordLifecycleActionHeartbeat', 'autoscaling.amazonaws.com', {
        autoScalingGroupName: input.AutoScalingGroupName,
        lifecycleHookName: input.LifecycleHookName,
        lifecycleActionToken: input.LifecycleActionToken,
        instanceId: input.InstanceId,
      });
      return {};
    },
    DescribeScalingActivities: (input) => {
      const size = records(input, 100, 100);
      const start = input.NextToken ? Number(input.NextToken) : 0;
      const slice = group.activities.slice(start, start + size);
      return {
        Activities: slice.map((a) => ({
          ActivityId: a.ActivityId,
          AutoScalingGroupName: group.name,
          Description: a.Description,
          Cause: a.Cause,
          StartTime: world.sim.date(a.StartTime),
          EndTime: a.EndTime === undefined ? undefined : world.sim.date(a.EndTime),
          StatusCode: a.StatusCode,
          StatusMessage: a.StatusMessage,
          Progress: a.EndTime !== undefined ? 100 : 50,
        })),
        NextToken: start + size < group.activities.length ? String(start + size) : undefined,
      };
    },
    DescribeInstanceRefreshes: (input) => {
      if (input.AutoScalingGroupName === undefined) throw validation('AutoScalingGroupName is required');
      const size = records(input, 100, 50);
      if (input.AutoScalingGroupName !== group.name) return { InstanceRefreshes: [] };
      const ids = input.InstanceRefreshIds as string[] | undefined;
      const all = [...group.refreshes].reverse().filter((r) => !ids || ids.includes(r.id));
      const start = input.NextToken ? Number(input.NextToken) : 0;
      return {
        InstanceRefreshes: all.slice(start, start + size).map((refresh) => ({
          InstanceRefreshId: refresh.id,
          AutoScalingGroupName: group.name,
          Status: refresh.status,
          StatusReason: refresh.statusReason,
          StartTime: world.sim.date(refresh.startedAt),
          EndTime: refresh.endedAt === undefined ? undefined : world.sim.date(refresh.endedAt),
          PercentageComplete: refresh.percentageComplete(),
          Preferences: preferencesShape(refresh.prefs),
        })),
        NextToken: start + size < all.length ? String(start + size) : undefined,
      };
    },
    StartInstanceRefresh: (input) => startInstanceRefresh(world, input),
    // CancelInstanceRefresh: Cancelling, then Cancelled ("Cancel an instance refresh"); nothing active →
    // ActiveInstanceRefreshNotFoundFault (API reference, Errors).
    CancelInstanceRefresh: (input) => {
      if (input.AutoScalingGroupName !== group.name)
        throw validation(`AutoScalingGroup name not found - ${String(input.AutoScalingGroupName)}`);
      const refresh = group.refresh;
      if (!refresh || !refresh.cancel())
        throw awsError(
          'AutoScaling',
          'ActiveInstanceRefreshNotFoundFault',
          'No in progress or pending Instance Refresh found',
        );
      return { InstanceRefreshId: refresh.id };
    },
    TerminateInstanceInAutoScalingGroup: (input) => {
      const id = String(input.InstanceId);
      const instance = group.instances.get(id);
      if (!instance) throw validation(`Instance Id not found - No managed instance found for instance ID: ${id}`);
      if (typeof input.ShouldDecrementDesiredCapacity !== 'boolean')
        throw validation('ShouldDecrementDesiredCapacity is required');
      const terminating = instance.lifecycleState.startsWith('Terminating');
      if (!terminating)
        group.terminate(
          instance,
          'instance was taken out of service in response to a user request',
          input.ShouldDecrementDesiredCapacity,
        );
      const activity = group.activities.find((a) => a.Description.endsWith(id)) ?? group.activities[0];
      return {
        Activity: {
          ActivityId: activity.ActivityId,
          AutoScalingGroupName: group.name,
          Description: activity.Description,
          Cause: activity.Cause,
          StartTime: world.sim.date(activity.StartTime),
          StatusCode: activity.StatusCode,
          Progress: 0,
        },
      };
    },
  };
}

export { ec2Operations } from './ec2-api';
