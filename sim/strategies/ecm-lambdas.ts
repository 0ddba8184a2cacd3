/**
 * The two functions of awslabs/ecs-cluster-manager (lambda/ecs-lifecycle-hook-launch.py and
 * lambda/ecs-lifecycle-hook-terminate.py), ported call for call: cluster name from the user data, container instance
 * found by listing every container instance (pages of 10) and describing each page, 30 s polls inside a 300 s
 * invocation that give up with 40 s left, then a heartbeat whose CloudTrail event re-invokes the function; after
 * 3600 s (measured from a "Terminating …" scaling activity) the action is ABANDONed.
 */
import {
  DescribeContainerInstancesCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListContainerInstancesCommand,
  ListServicesCommand,
  ListTasksCommand,
  UpdateContainerInstancesStateCommand,
} from '@aws-sdk/client-ecs';
import {
  CompleteLifecycleActionCommand,
  DescribeScalingActivitiesCommand,
  RecordLifecycleActionHeartbeatCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeInstanceAttributeCommand } from '@aws-sdk/client-ec2';
import type { BusEvent } from '../aws/eventbridge';
import type { InvocationContext } from '../aws/lambda';
import type { World } from '../world';

type Hook = {
  EC2InstanceId: string;
  LifecycleHookName: string;
  AutoScalingGroupName: string;
  LifecycleActionToken: string;
};
/* eslint-disable @typescript-eslint/no-explicit-any -- a model of third-party Lambdas reading untyped events */

function hookMessage(event: BusEvent): Hook {
  const detail = event.detail as any;
  if ('LifecycleHookName' in detail) return detail as Hook;
  const p = detail.requestParameters;
  return {
    EC2InstanceId: p.instanceId,
    LifecycleHookName: p.lifecycleHookName,
    AutoScalingGroupName: p.autoScalingGroupName,
    LifecycleActionToken: p.lifecycleActionToken,
  };
}

function helpers(world: World) {
  const { ecs, autoScaling: asg, ec2 } = world.clients;
  const clusterName = async (instanceId: string): Promise<string> => {
    const r = await ec2.send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'userData' }));
    const match = /ECS_CLUSTER\s?=\s?(.*?)\s/.exec(Buffer.from(r.UserData.Value, 'base64').toString());
    if (!match) throw new Error('Unable to determine the ECS cluster name from instance metadata');
    return match[1];
  };
  /** Every container instance, pages of 10, each page described. */
  const eachContainerInstance = async (cluster: string, visit: (ci: any) => boolean): Promise<boolean> => {
    let nextToken: string | undefined;
    do {
      const page = await ecs.send(new ListContainerInstancesCommand({ cluster, maxResults: 10, nextToken }));
      if ((page.containerInstanceArns ?? []).length > 0) {
        const r = await ecs.send(
          new DescribeContainerInstancesCommand({ cluster, containerInstances: page.containerInstanceArns }),
        );
        for (const ci of r.containerInstances) if (visit(ci)) return true;
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return false;
  };
  const hookDuration = async (asgName: string, instanceId: string): Promise<number> => {
    let start = world.sim.now;
    let nextToken: string | undefined;
    do {
      const page = await asg.send(
        new DescribeScalingActivitiesCommand({ AutoScalingGroupName: asgName, MaxRecords: 10, NextToken: nextToken }),
      );
      for (const a of page.Activities) {
        if (new RegExp(`^Terminating.*${instanceId}`).test(a.Description))
          start = (a.StartTime.getTime() - world.sim.date(0).getTime()) / 1000;
      }
      nextToken = page.NextToken;
    } while (nextToken);
    return Math.floor(world.sim.now - start);
  };
  const complete = (hook: Hook, result: 'CONTINUE' | 'ABANDON') =>
    asg.send(
      new CompleteLifecycleActionCommand({ ...hook, InstanceId: hook.EC2InstanceId, LifecycleActionResult: result }),
    );
  const finishOrHeartbeat = async (hook: Hook): Promise<void> => {
    const duration = await hookDuration(hook.AutoScalingGroupName, hook.EC2InstanceId);
    if (duration > 3600) await complete(hook, 'ABANDON');
    else
      await asg.send(
        new RecordLifecycleActionHeartbeatCommand({
          LifecycleHookName: hook.LifecycleHookName,
          AutoScalingGroupName: hook.AutoScalingGroupName,
          LifecycleActionToken: hook.LifecycleActionToken,
          InstanceId: hook.EC2InstanceId,
        }),
      );
  };
  return { ecs, clusterName, eachContainerInstance, hookDuration, complete, finishOrHeartbeat };
}

export function ecmLaunchFunction(world: World) {
  const h = helpers(world);
  return async (event: BusEvent, context: InvocationContext): Promise<void> => {
    const hook = hookMessage(event);
    const cluster = await h.clusterName(hook.EC2InstanceId);
    for (;;) {
      const healthy = await h.eachContainerInstance(
        cluster,
        (ci) => ci.ec2InstanceId === hook.EC2InstanceId && ci.status === 'ACTIVE' && ci.agentConnected === true,
      );
      if (healthy) {
        await h.complete(hook, 'CONTINUE');
        return;
      }
      if (context.remainingMs() <= 40000) break;
      await world.sim.sleep(30);
    }
    await h.hookDuration(hook.AutoScalingGroupName, hook.EC2InstanceId); // computed twice in the original
    await h.finishOrHeartbeat(hook);
  };
}

export function ecmTerminateFunction(world: World) {
  const h = helpers(world);
  const ecs = h.ecs;
  const drained = async (cluster: string, arn: string, context: InvocationContext): Promise<boolean> => {
    for (;;) {
      const r = await ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: [arn] }));
      const ci = r.containerInstances[0];
      if (ci.runningTasksCount === 0 && ci.pendingTasksCount === 0) return true;
      if (context.remainingMs() <= 40000) return false;
      await world.sim.sleep(30);
    }
  };
  const stable = async (cluster: string, context: InvocationContext): Promise<boolean> => {
    for (;;) {
      let servicesStable = true;
      let nextToken: string | undefined;
      do {
        const page = await ecs.send(new ListServicesCommand({ cluster, maxResults: 10, nextToken }));
        if (page.serviceArns.length > 0) {
          const r = await ecs.send(new DescribeServicesCommand({ cluster, services: page.serviceArns }));
          for (const s of r.services)
            if (!/service .* has reached a steady state\./.test(s.events[0]?.message ?? '')) servicesStable = false;
        }
        nextToken = page.nextToken;
      } while (nextToken);
      let tasksStable = true;
      nextToken = undefined;
      do {
        const page = await ecs.send(new ListTasksCommand({ cluster, maxResults: 100, nextToken }));
        if (page.taskArns.length > 0) {
          const r = await ecs.send(new DescribeTasksCommand({ cluster, tasks: page.taskArns }));
          for (const t of r.tasks) if (t.lastStatus !== t.desiredStatus) tasksStable = false;
        }
        nextToken = page.nextToken;
      } while (nextToken);
      if (context.remainingMs() <= 40000) return false;
      if (servicesStable && tasksStable) return true;
      await world.sim.sleep(30);
    }
  };
  return async (event: BusEvent, context: InvocationContext): Promise<void> => {
    const hook = hookMessage(event);
    try {
      const cluster = await h.clusterName(hook.EC2InstanceId);
      let arn: string | undefined;
      await h.eachContainerInstance(cluster, (ci) => {
        if (ci.ec2InstanceId === hook.EC2InstanceId) arn = ci.containerInstanceArn;
        return arn !== undefined;
      });
      if (!arn) throw new Error('Unable to determine the ECS Container Instance ID');
      const r = await ecs.send(new DescribeContainerInstancesCommand({ cluster, containerInstances: [arn] }));
      if (r.containerInstances[0].status === 'ACTIVE') {
        await ecs.send(
          new UpdateContainerInstancesStateCommand({ cluster, containerInstances: [arn], status: 'DRAINING' }),
        );
      }
      let proceed = false;
      if ((await drained(cluster, arn, context)) && (await stable(cluster, context))) {
        await h.complete(hook, 'CONTINUE');
        proceed = true;
      }
      if (!proceed) await h.finishOrHeartbeat(hook);
    } catch (error) {
      // "Our exception path is to allow the instance to terminate."
      void error;
      await h.complete(hook, 'CONTINUE');
    }
  };
}
