/**
 * Auto Scaling, EC2 and SSM API operations over the simulated group and instances, with AWS's limits and shapes
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/): DescribeAutoScalingInstances at most 50 ids,
 * DescribeAutoScalingGroups / DescribeScalingActivities MaxRecords ≤ 100, lifecycle writes answer ValidationError
 * "No active Lifecycle Action found with instance ID i-…" when nothing waits.
 */
import type { World } from '../world';
import { awsError } from './errors';
import type { AsgInstance } from './autoscaling';
import type { Operation } from './fake-clients';
import { InstanceRefresh, type RefreshPreferences } from './instance-refresh';

type Input = Record<string, unknown>;

function validation(message: string): Error {
  return awsError('AutoScaling', 'ValidationError', message);
}

function records(input: Input, max = 100, fallback = 50): number {
  const size = (input.MaxRecords as number | undefined) ?? fallback;
  if (size < 1 || size > max) throw validation(`MaxRecords must be between 1 and ${max}`);
  return size;
}

export function autoScalingOperations(world: World): Record<string, Operation> {
  const group = world.asg;
  const launchTemplate = (instance: AsgInstance) => ({
    LaunchTemplateId: 'lt-0sim0000000000001',
    LaunchTemplateName: `${group.name}-lt`,
    Version: instance.imageId === world.newAmiId ? '2' : '1',
  });
  const instanceShape = (instance: AsgInstance) => ({
    InstanceId: instance.id,
    InstanceType: 'm7i.large',
    AvailabilityZone: 'us-east-1a',
    LifecycleState: instance.lifecycleState,
    HealthStatus: 'Healthy',
    LaunchTemplate: launchTemplate(instance),
    ProtectedFromScaleIn: false,
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
          Progress: a.StatusCode === 'Successful' ? 100 : 50,
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
        })),
        NextToken: start + size < all.length ? String(start + size) : undefined,
      };
    },
    // Rolling strategy only. The target is the AMI the launch template resolves now (resolve:ssm:); SkipMatching is
    // irrelevant in the simulation: with resolve:ssm: every instance matches the template, and the watcher sends false.
    StartInstanceRefresh: (input) => {
      if (input.AutoScalingGroupName !== group.name)
        throw validation(`AutoScalingGroup name not found - ${String(input.AutoScalingGroupName)}`);
      if (input.Strategy !== undefined && input.Strategy !== 'Rolling')
        throw validation(`Strategy ${String(input.Strategy)} is not supported`);
      if (group.refresh?.status === 'InProgress') {
        throw awsError(
          'AutoScaling',
          'InstanceRefreshInProgressFault',
          `An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.`,
        );
      }
      const p = (input.Preferences ?? {}) as Record<string, unknown>;
      const prefs: RefreshPreferences = {
        minHealthyPercentage: (p.MinHealthyPercentage as number | undefined) ?? 90,
        maxHealthyPercentage: (p.MaxHealthyPercentage as number | undefined) ?? 100,
        instanceWarmupSeconds: (p.InstanceWarmup as number | undefined) ?? 300,
        checkpointPercentages: p.CheckpointPercentages as number[] | undefined,
        checkpointDelaySeconds: p.CheckpointDelay as number | undefined,
        autoRollback: p.AutoRollback === true,
      };
      const refresh = new InstanceRefresh(world, group, group.launchImageId(), prefs);
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

export function ec2Operations(world: World): Record<string, Operation> {
  const shape = (id: string) => {
    const i = world.ec2.instances.get(id);
    if (!i) return undefined;
    const codes = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48 } as const;
    return {
      InstanceId: i.id,
      ImageId: i.imageId,
      InstanceType: 'm7i.large',
      LaunchTime: world.sim.date(i.launchTime),
      State: { Code: codes[i.state], Name: i.state },
      Tags: [...i.tags].map(([Key, Value]) => ({ Key, Value })),
    };
  };
  return {
    // The watcher filters by image-id (unknown AMIs are simply absent); ImageIds with an unknown id fail as in EC2.
    DescribeImages: (input) => {
      let ids = (input.ImageIds as string[] | undefined) ?? [];
      for (const filter of (input.Filters as { Name: string; Values: string[] }[] | undefined) ?? []) {
        if (filter.Name !== 'image-id')
          throw new Error(`[sim] EC2 DescribeImages filter ${filter.Name} is not simulated`);
        ids = [...ids, ...filter.Values];
      }
      const missing = ((input.ImageIds as string[] | undefined) ?? []).filter((id) => !world.ec2.images.has(id));
      if (missing.length > 0)
        throw awsError('EC2', 'InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`);
      const images = [...new Set(ids)].map((id) => world.ec2.images.get(id)).filter((i) => i !== undefined);
      return {
        Images: images.map((image) => ({
          ImageId: image.imageId,
          Name: image.name,
          CreationDate: world.sim.date(image.creationDate).toISOString(),
          State: 'available',
          Architecture: 'x86_64',
          ImageType: 'machine',
          Public: true,
          OwnerId: '591542846629',
        })),
      };
    },
    DescribeInstances: (input) => {
      let ids = (input.InstanceIds as string[] | undefined) ?? [];
      for (const filter of (input.Filters as { Name: string; Values: string[] }[] | undefined) ?? []) {
        if (filter.Name !== 'instance-id') throw new Error(`[sim] EC2 filter ${filter.Name} is not simulated`);
        ids = [...ids, ...filter.Values];
      }
      if (input.InstanceIds) {
        const missing = (input.InstanceIds as string[]).filter((id) => !world.ec2.instances.has(id));
        if (missing.length > 0) {
          throw awsError('EC2', 'InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
        }
      }
      const instances = ids.map(shape).filter((i) => i !== undefined);
      return { Reservations: instances.length > 0 ? [{ ReservationId: 'r-sim', Instances: instances }] : [] };
    },
    DescribeInstanceAttribute: (input) => {
      const id = String(input.InstanceId);
      if (!world.ec2.instances.has(id))
        throw awsError('EC2', 'InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
      const userData = Buffer.from(
        `#!/bin/bash\necho ECS_CLUSTER=${world.clusterName} >> /etc/ecs/ecs.config\n`,
      ).toString('base64');
      return { InstanceId: id, UserData: { Value: userData } };
    },
    CreateTags: (input) => {
      for (const id of (input.Resources as string[] | undefined) ?? []) {
        const instance = world.ec2.instances.get(id);
        for (const tag of (input.Tags as { Key: string; Value: string }[] | undefined) ?? [])
          instance?.tags.set(tag.Key, tag.Value);
      }
      return {};
    },
  };
}
