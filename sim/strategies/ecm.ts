/**
 * ECM — awslabs/ecs-cluster-manager (ecs-cluster.yaml): CloudFormation AutoScalingRollingUpdate with MaxBatchSize 1,
 * MinInstancesInService = ClusterSize, WaitOnResourceSignals true and PauseTime PT10M; launch and terminate
 * lifecycle hooks (HeartbeatTimeout 3600 s, DefaultResult ABANDON) served by two 128 MB / 300 s Python functions
 * (ecm-lambdas.ts) invoked by the lifecycle events and re-invoked by the CloudTrail event of their own
 * RecordLifecycleActionHeartbeat. CloudFormation replaces one instance at a time: launch one, wait for its
 * cfn-signal — the launch configuration's user data runs `yum install aws-cfn-bootstrap` and then
 * `cfn-signal -e 0` unconditionally, so the signal says "booted", not "joined the cluster" — then terminate one old
 * instance and wait until it is gone. No signal within PauseTime fails the update, which rolls back.
 * (cloudformation-rolling-update.ts has the CloudFormation side.)
 */
import { LAUNCHING, TERMINATING } from '../aws/autoscaling';
import type { BusEvent } from '../aws/eventbridge';
import { SimLambda } from '../aws/lambda';
import { ecmLaunchFunction, ecmTerminateFunction } from './ecm-lambdas';
import type { Strategy } from './types';
import { rollingUpdate, rollingUpdateRolledBack } from './cloudformation-rolling-update';

/** ecs-cluster.yaml: PauseTime PT10M, the cfn-signal timeout of each batch. */
const PAUSE_TIME_SECONDS = 600;

export const ECM: Strategy = {
  id: 'ECM',
  description: 'awslabs/ecs-cluster-manager (CloudFormation rolling update, batch 1, cfn-signal, polling Lambdas)',
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
    world.sim.spawn(() =>
      rollingUpdate(world, {
        order: 'launch-first',
        waitOnResourceSignals: true,
        pauseTimeSeconds: PAUSE_TIME_SECONDS,
      }),
    );
  },
  failed(world) {
    return rollingUpdateRolledBack(world);
  },
};
