/**
 * ECM — awslabs/ecs-cluster-manager (ecs-cluster.yaml): CloudFormation AutoScalingRollingUpdate with MaxBatchSize 1,
 * MinInstancesInService = ClusterSize and PauseTime PT10M; launch and terminate lifecycle hooks (HeartbeatTimeout
 * 3600 s, DefaultResult ABANDON) served by two 128 MB / 300 s functions (ecm-lambdas.ts) invoked by the lifecycle
 * events and re-invoked by the CloudTrail event of their own RecordLifecycleActionHeartbeat. CloudFormation replaces
 * one instance at a time: launch one, wait until it is InService, terminate one old instance, wait until it is gone.
 * A replacement not InService within PauseTime fails the update, which rolls back (the new instance is removed).
 */
import { LAUNCHING, TERMINATING, type AsgInstance } from '../aws/autoscaling';
import type { BusEvent } from '../aws/eventbridge';
import { SimLambda } from '../aws/lambda';
import type { World } from '../world';
import { ecmLaunchFunction, ecmTerminateFunction } from './ecm-lambdas';
import type { Strategy } from './types';

const PAUSE_TIME_SECONDS = 600;
const POLL_SECONDS = 5;
const rolledBack = new WeakSet<World>();

async function rollingUpdate(world: World): Promise<void> {
  const group = world.asg;
  group.reconcilePaused = true;
  group.imageId = world.newAmiId;
  const until = async (condition: () => boolean, limit: number): Promise<boolean> => {
    const deadline = world.sim.now + limit;
    while (!condition()) {
      if (world.sim.now >= deadline) return false;
      await world.sim.sleep(POLL_SECONDS);
    }
    return true;
  };
  for (;;) {
    const old = group
      .alive()
      .filter((i) => i.imageId !== world.newAmiId)
      .sort((a, b) => a.launchedAt - b.launchedAt);
    if (old.length === 0) return;
    group.desired++;
    const fresh: AsgInstance = group.launch('CloudFormation rolling update');
    const ok = await until(() => fresh.lifecycleState === 'InService', PAUSE_TIME_SECONDS);
    if (!ok) {
      rolledBack.add(world);
      group.imageId = world.oldAmiId;
      group.terminate(fresh, 'CloudFormation UPDATE_ROLLBACK: replacement did not signal in PauseTime', true);
      return;
    }
    const victim = old[0];
    group.terminate(victim, 'CloudFormation rolling update: terminating an old instance', true);
    await until(() => !group.instances.has(victim.id), Number.POSITIVE_INFINITY);
  }
}

export const ECM: Strategy = {
  id: 'ECM',
  description: 'awslabs/ecs-cluster-manager (CloudFormation rolling update, batch 1, polling Lambdas)',
  install(world) {
    world.asg.hooks = [
      {
        name: 'ecm-launch',
        transition: LAUNCHING,
        heartbeatTimeout: 3600,
        defaultResult: 'ABANDON',
        owner: 'eventbridge',
      },
      {
        name: 'ecm-terminate',
        transition: TERMINATING,
        heartbeatTimeout: 3600,
        defaultResult: 'ABANDON',
        owner: 'eventbridge',
      },
    ];
    const options = {
      memoryMb: 128,
      timeoutSeconds: 300,
      maxConcurrency: 1000,
      retryDelaysSeconds: world.timings.lambdaRetryDelaysSeconds,
    };
    const launch = new SimLambda(world, 'ecm-launch', () => ecmLaunchFunction(world), options);
    const terminate = new SimLambda(world, 'ecm-terminate', () => ecmTerminateFunction(world), options);
    const heartbeatOf = (e: BusEvent, hook: string): boolean =>
      e['detail-type'] === 'AWS API Call via CloudTrail' &&
      e.detail.eventName === 'RecordLifecycleActionHeartbeat' &&
      (e.detail.requestParameters as Record<string, unknown>).lifecycleHookName === hook;
    world.bus.addRule({
      name: 'EventInvokeNewInstanceHealth',
      matches: (e) => e.source === 'aws.autoscaling' && e['detail-type'] === 'EC2 Instance-launch Lifecycle Action',
      target: (e) => launch.invoke(e),
    });
    world.bus.addRule({
      name: 'EventContinueNewInstanceHealth',
      matches: (e) => heartbeatOf(e, 'ecm-launch'),
      target: (e) => launch.invoke(e),
    });
    world.bus.addRule({
      name: 'EventInvokeClusterDrain',
      matches: (e) => e.source === 'aws.autoscaling' && e['detail-type'] === 'EC2 Instance-terminate Lifecycle Action',
      target: (e) => terminate.invoke(e),
    });
    world.bus.addRule({
      name: 'EventContinueClusterDrain',
      matches: (e) => heartbeatOf(e, 'ecm-terminate'),
      target: (e) => terminate.invoke(e),
    });
  },
  start(world) {
    world.sim.spawn(() => rollingUpdate(world));
  },
  failed(world) {
    return rolledBack.has(world);
  },
};
