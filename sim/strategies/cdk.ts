/**
 * CDK — aws-cdk-lib `InstanceDrainHook` (packages/aws-cdk-lib/aws-ecs/lib/drain-hook/instance-drain-hook.ts and its
 * lambda-source/index.py): a terminate hook only (heartbeat = drainTime, default 5 min, DefaultResult CONTINUE),
 * notified through SNS to a Python function (128 MB, timeout drainTime + 10 s) that sets the instance DRAINING and
 * polls every 10 s until no task is left, then completes CONTINUE. When the drain outlasts drainTime the hook times
 * out with CONTINUE and the instance is terminated with its tasks. No launch gate: new instances are InService as
 * soon as EC2 runs them. Same instance refresh preferences as US, so only the hooks differ.
 */
import {
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  UpdateContainerInstancesStateCommand,
} from '@aws-sdk/client-ecs';
import { CompleteLifecycleActionCommand } from '@aws-sdk/client-auto-scaling';
import { InstanceRefresh } from '../aws/instance-refresh';
import { TERMINATING } from '../aws/autoscaling';
import type { BusEvent } from '../aws/eventbridge';
import { SimLambda } from '../aws/lambda';
import type { World } from '../world';
import { REFRESH_PREFERENCES, type Strategy } from './types';

export const CDK_DRAIN_SECONDS = 300;
const POLL_SECONDS = 10;

function cdkDrainFunction(world: World) {
  const ecs = world.clients.ecs;
  const autoscaling = world.clients.autoScaling;
  const cluster = world.clusterName;
  return async (event: BusEvent): Promise<void> => {
    const message = event.detail as Record<string, string>;
    const instanceId = message.EC2InstanceId;
    if (!instanceId) return;
    const arns = (
      await ecs.send(new ListContainerInstancesCommand({ cluster, filter: `ec2InstanceId==${instanceId}` }))
    ).containerInstanceArns;
    const instanceArn: string | undefined = arns?.[0];
    if (!instanceArn) return;
    const taskArns: string[] =
      (await ecs.send(new ListTasksCommand({ cluster, containerInstance: instanceArn }))).taskArns ?? [];
    const hasTasks = async (): Promise<boolean> => {
      const instances = (
        await ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: [instanceArn] }))
      ).containerInstances;
      if (!instances || instances.length === 0) return false;
      const instance = instances[0];
      if (instance.status === 'ACTIVE') {
        await ecs.send(
          new UpdateContainerInstancesStateCommand({ cluster, containerInstances: [instanceArn], status: 'DRAINING' }),
        );
        return true;
      }
      let count: number | undefined;
      if (taskArns.length > 0) {
        const tasks = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: taskArns }))).tasks ?? [];
        if (tasks.length > 0) {
          count =
            tasks.filter((t: { lastStatus?: string }) => t.lastStatus !== 'STOPPED').length +
            (instance.pendingTasksCount ?? 0);
        }
      }
      if (!count) count = (instance.runningTasksCount ?? 0) + (instance.pendingTasksCount ?? 0);
      return (count ?? 0) > 0;
    };
    while (await hasTasks()) await world.sim.sleep(POLL_SECONDS);
    try {
      await autoscaling.send(
        new CompleteLifecycleActionCommand({
          LifecycleActionResult: 'CONTINUE',
          LifecycleHookName: message.LifecycleHookName,
          LifecycleActionToken: message.LifecycleActionToken,
          AutoScalingGroupName: message.AutoScalingGroupName,
        }),
      );
    } catch {
      // "Lifecycle action may have already completed."
    }
  };
}

export const CDK: Strategy = {
  id: 'CDK',
  description: 'aws-cdk InstanceDrainHook (terminate hook only, 10 s poll, CONTINUE after 5 min)',
  install(world) {
    world.asg.hooks = [
      {
        name: 'cdk-drain-hook',
        transition: TERMINATING,
        heartbeatTimeout: CDK_DRAIN_SECONDS,
        defaultResult: 'CONTINUE',
        owner: 'eventbridge',
      },
    ];
    const fn = new SimLambda(world, 'cdk-drain', () => cdkDrainFunction(world), {
      memoryMb: 128,
      timeoutSeconds: Math.min(CDK_DRAIN_SECONDS + 10, 900),
      maxConcurrency: 1000,
      retryDelaysSeconds: world.timings.lambdaRetryDelaysSeconds,
    });
    // Lifecycle notification → SNS topic → function (asynchronous invocation, like EventBridge).
    world.bus.addRule({
      name: 'cdk-drain-topic',
      matches: (e) => e.source === 'aws.autoscaling' && e['detail-type'] === 'EC2 Instance-terminate Lifecycle Action',
      target: (e) => fn.invoke(e),
    });
  },
  start(world) {
    new InstanceRefresh(world, world.asg, world.newAmiId, REFRESH_PREFERENCES);
  },
  failed(world) {
    const status = world.asg.refresh?.status;
    return status !== undefined && status !== 'InProgress' && status !== 'Successful';
  },
};
