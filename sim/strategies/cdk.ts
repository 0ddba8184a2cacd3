/**
 * CDK — an aws-cdk-lib ECS cluster's capacity with its own defaults:
 * - `InstanceDrainHook` (packages/aws-cdk-lib/aws-ecs/lib/drain-hook/instance-drain-hook.ts and its
 *   lambda-source/index.py): a terminate hook only (heartbeat = drainTime: the code uses 5 min when none is given —
 *   its JSDoc says 15), DefaultResult CONTINUE, notified through SNS to a Python 3.13 function (128 MB, timeout
 *   drainTime + 10 s, no reserved concurrency) that sets the instance DRAINING and polls every 10 s until no task is
 *   left, then completes CONTINUE. When the drain outlasts drainTime the hook times out with CONTINUE and the instance
 *   is terminated with its tasks. Its AWS calls retry as boto3 does by default in the Lambda Python runtime (legacy
 *   mode: 5 attempts).
 * - The Auto Scaling group (aws-autoscaling/lib/auto-scaling-group.ts): `updatePolicy` defaults to
 *   `UpdatePolicy.none()` — a new AMI replaces nothing — so a CDK user who rolls AMIs sets
 *   `UpdatePolicy.rollingUpdate()`, whose defaults are CloudFormation's: MaxBatchSize 1, MinInstancesInService 0,
 *   no signals, PauseTime PT0S. CloudFormation then terminates one old instance at a time and the group launches its
 *   replacement (cloudformation-rolling-update.ts). No launch gate: new instances are InService as soon as EC2 runs
 *   them.
 */
import {
  DescribeContainerInstancesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListTasksCommand,
  UpdateContainerInstancesStateCommand,
} from '@aws-sdk/client-ecs';
import { CompleteLifecycleActionCommand } from '@aws-sdk/client-auto-scaling';
import { TERMINATING } from '../aws/autoscaling';
import { autoScalingOperations } from '../aws/autoscaling-api';
import { ecsOperations } from '../aws/ecs-api';
import { BOTO3_LEGACY, FakeAwsClient } from '../aws/fake-clients';
import type { BusEvent } from '../aws/eventbridge';
import { SimLambda } from '../aws/lambda';
import type { World } from '../world';
import type { Strategy } from './types';
import { rollingUpdate, rollingUpdateRolledBack } from './cloudformation-rolling-update';

export const CDK_DRAIN_SECONDS = 300;
const POLL_SECONDS = 10;

function cdkDrainFunction(world: World) {
  // boto3 clients: the Python runtime's default legacy retry mode (the account's throttling buckets are shared).
  const ecs = new FakeAwsClient(world, 'ECS', ecsOperations(world), BOTO3_LEGACY);
  const autoscaling = new FakeAwsClient(world, 'AutoScaling', autoScalingOperations(world), BOTO3_LEGACY);
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
  description:
    'aws-cdk InstanceDrainHook + UpdatePolicy.rollingUpdate() (batch 1, terminate first, CONTINUE after 5 min)',
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
      maxConcurrency: world.timings.lambdaMaxConcurrency,
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
    world.sim.spawn(() =>
      rollingUpdate(world, { order: 'terminate-first', waitOnResourceSignals: false, pauseTimeSeconds: 0 }),
    );
  },
  failed(world) {
    return rollingUpdateRolledBack(world);
  },
};
