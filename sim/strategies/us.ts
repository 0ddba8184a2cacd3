/**
 * US — this project with its default settings, driving the REAL gate handlers (lambdas/gates/launch-gate.ts and
 * drain-gate.ts) through fake SDK clients. Wiring follows lambdas/gates/README.md "Triggers" and the construct
 * defaults (lib/defaults.ts, lib/function/props.ts): launch hook 900 s heartbeat / ABANDON, terminate hook 3600 s /
 * CONTINUE, functions 256 MB, 60 s timeout, reserved concurrency 2, async retries 2, sweep every minute, instance
 * refresh MinHealthyPercentage 100 / MaxHealthyPercentage 200 / warm-up 60 s.
 */
import { createDrainGateHandler } from '../../lambdas/gates/drain-gate';
import { createLaunchGateHandler } from '../../lambdas/gates/launch-gate';
import type { GateDeps } from '../../lambdas/gates/deps';
import { validateGateConfig } from '../../lambdas/shared/config';
import { NODEJS_FUNCTION_DEFAULTS } from '../../lib/function/props';
import { noopMetrics, type GateLogger } from '../../lambdas/shared/observability';
import { InstanceRefresh } from '../aws/instance-refresh';
import { LAUNCHING, TERMINATING } from '../aws/autoscaling';
import type { BusEvent } from '../aws/eventbridge';
import { SimLambda, type Handler } from '../aws/lambda';
import type { World } from '../world';
import { REFRESH_PREFERENCES, type Strategy } from './types';

export const US_HOOKS = { launch: 'prod-general-launch-gate', terminate: 'prod-general-drain-gate' };

/** Counts the gate's own alerts (forced drains are logged at error level). */
function countingLogger(world: World): GateLogger {
  const ignore = (): void => undefined;
  return {
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (message, ...fields) => {
      const f = Object.assign({}, ...fields) as Record<string, unknown>;
      if (message === 'drain gate decision' && f.forced === true) world.metrics.forcedDrains++;
    },
  };
}

export const US: Strategy = {
  id: 'US',
  description: 'ecs-ami-rollout (launch gate + drain gate, instance refresh 100/200)',
  install(world) {
    const group = world.asg;
    group.hooks = [
      {
        name: US_HOOKS.launch,
        transition: LAUNCHING,
        heartbeatTimeout: 900,
        defaultResult: 'ABANDON',
        owner: 'eventbridge',
      },
      {
        name: US_HOOKS.terminate,
        transition: TERMINATING,
        heartbeatTimeout: 3600,
        defaultResult: 'CONTINUE',
        owner: 'eventbridge',
      },
    ];
    const config = validateGateConfig({
      clusterName: world.clusterName,
      clusterArn: world.clusterArn,
      nodeGroups: [
        {
          name: 'general',
          asgName: group.name,
          launchHookName: US_HOOKS.launch,
          terminateHookName: US_HOOKS.terminate,
          launchHeartbeatSeconds: 900,
          terminateHeartbeatSeconds: 3600,
        },
      ],
    });
    // THE SEAM: the production handlers get fake clients and the virtual clock; nothing else is stubbed.
    const deps = (): GateDeps => ({
      ecs: world.clients.ecs,
      autoScaling: world.clients.autoScaling,
      ec2: world.clients.ec2,
      ssm: world.clients.ssm,
      now: () => world.sim.date(),
      config,
      logger: countingLogger(world),
      metrics: noopMetrics,
    });
    // Mirrors lib/gates/lifecycle-gates.ts: reserved concurrency 2 per gate.
    const options = {
      memoryMb: 256,
      timeoutSeconds: 60,
      maxConcurrency: 2,
      retryDelaysSeconds: world.timings.lambdaRetryDelaysSeconds,
      maximumEventAgeSeconds: NODEJS_FUNCTION_DEFAULTS.maximumEventAgeSeconds,
    };
    const launchGate = new SimLambda(world, 'launch-gate', () => createLaunchGateHandler(deps()) as Handler, options);
    const drainGate = new SimLambda(world, 'drain-gate', () => createDrainGateHandler(deps()) as Handler, options);

    const is = (event: BusEvent, source: string, detailType: string): boolean =>
      event.source === source && event['detail-type'] === detailType;
    const ofGroup = (event: BusEvent): boolean => event.detail.AutoScalingGroupName === group.name;
    const ofCluster = (event: BusEvent): boolean => event.detail.clusterArn === world.clusterArn;
    world.bus.addRule({
      name: 'launch-lifecycle',
      matches: (e) => is(e, 'aws.autoscaling', 'EC2 Instance-launch Lifecycle Action') && ofGroup(e),
      target: (e) => launchGate.invoke(e),
    });
    world.bus.addRule({
      name: 'terminate-lifecycle',
      matches: (e) => is(e, 'aws.autoscaling', 'EC2 Instance-terminate Lifecycle Action') && ofGroup(e),
      target: (e) => drainGate.invoke(e),
    });
    // The construct's ECS patterns (lib/gates/lifecycle-gates.ts): status in the list, runningTasksCount [0],
    // pendingTasksCount [0] — EventBridge matches numbers by value.
    const emptyInstance = (event: BusEvent, statuses: string[]): boolean =>
      is(event, 'aws.ecs', 'ECS Container Instance State Change') &&
      ofCluster(event) &&
      statuses.includes(String(event.detail.status)) &&
      event.detail.runningTasksCount === 0 &&
      event.detail.pendingTasksCount === 0;
    world.bus.addRule({
      name: 'container-instance-launch',
      matches: (e) => emptyInstance(e, ['ACTIVE', 'REGISTRATION_FAILED']),
      target: (e) => launchGate.invoke(e),
    });
    world.bus.addRule({
      name: 'container-instance-drain',
      matches: (e) => emptyInstance(e, ['DRAINING']),
      target: (e) => drainGate.invoke(e),
    });
    world.bus.schedule('launch-gate-sweep', world.timings.sweepPeriodSeconds, (e) => launchGate.invoke(e));
    world.bus.schedule('drain-gate-sweep', world.timings.sweepPeriodSeconds, (e) => drainGate.invoke(e));
  },
  start(world) {
    new InstanceRefresh(world, world.asg, world.newAmiId, REFRESH_PREFERENCES);
  },
  failed(world) {
    const status = world.asg.refresh?.status;
    return status !== undefined && status !== 'InProgress' && status !== 'Successful';
  },
};
