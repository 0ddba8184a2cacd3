/**
 * US — ecs-ami-rollout with its default settings, driving the REAL gate handlers (lambdas/gates/gate-handlers.ts, what
 * the entries launch-gate.ts and drain-gate.ts deploy) through fake SDK clients, wired exactly as lib/gates deploys
 * them: the rules are the construct's own (lib/triggers/gate-triggers.ts, evaluated by the simulated EventBridge's
 * pattern matcher), each feeding the gate's SQS buffer, read by an event source mapping with the construct's settings
 * (GATE_EVENT_BUFFER). Hooks, heartbeat timeouts and default results come from lib/defaults.ts; the gates' config from
 * the same defaults the construct writes into GATE_CONFIG; reserved concurrency unset (the account's unreserved
 * concurrency) unless the run sets one. The rollout starts as auto mode starts it — unless a service cannot be drained
 * (lambdas/shared/service-headroom.ts), in which case the refresh is refused, as the AMI watcher refuses it.
 */
import { AUTO_SCALING_MAX_ATTEMPTS } from '../../lambdas/gates/adapters/autoscaling';
import { createDrainGateHandler, createLaunchGateHandler } from '../../lambdas/gates/gate-handlers';
import type { GateDeps } from '../../lambdas/gates/deps';
import { validateGateConfig } from '../../lambdas/shared/config';
import { type GateLogger, type LogFields, noopMetrics } from '../../lambdas/shared/observability';
import { servicesWithoutHeadroom } from '../../lambdas/shared/service-headroom';
import { DEFAULTS } from '../../lib/defaults';
import { NODEJS_FUNCTION_DEFAULTS } from '../../lib/function/props';
import { GATE_DEFAULTS, GATE_TIMEOUT_SECONDS } from '../../lib/gates/gate-defaults';
import { GATE_EVENT_BUFFER } from '../../lib/gates/gate-event-buffer';
import { LAUNCH_HOOK_NAME, TERMINATE_HOOK_NAME } from '../../lib/node-group/auto-scaling-group';
import { drainGateRules, launchGateRules } from '../../lib/triggers/gate-triggers';
import { ratePeriodSeconds } from '../../lib/triggers/schedule';
import type { TriggerRule } from '../../lib/triggers/event-types';
import { LAUNCHING, TERMINATING } from '../aws/autoscaling';
import { autoScalingOperations } from '../aws/autoscaling-api';
import { FakeAwsClient, JS_SDK_STANDARD } from '../aws/fake-clients';
import { InstanceRefresh } from '../aws/instance-refresh';
import { SimLambda, type Handler } from '../aws/lambda';
import { EventSourceMapping, SimQueue } from '../aws/sqs';
import type { World } from '../world';
import { REFRESH_PREFERENCES, type Strategy } from './types';

/** Counts what the gates report: forced and held drains (alerts), and check errors (they end as batch failures). */
function countingLogger(world: World, gate: string): GateLogger {
  const ignore = (): void => undefined;
  const fields = (all: LogFields[]): LogFields => Object.assign({}, ...all) as LogFields;
  return {
    debug: ignore,
    info: ignore,
    warn: ignore,
    error: (message, ...all) => {
      const f = fields(all);
      if (message === 'drain gate decision' && f.forced === true) world.metrics.forcedDrains++;
      if (message === 'drain gate decision' && f.alert === 'drain.held') world.metrics.drainsHeld++;
      if (f.decision === 'ERROR' || message === 'gate run failed') {
        world.metrics.unhandledErrors.push({ fn: gate, at: world.sim.now, message: String(f.reason ?? f.error) });
      }
    },
  };
}

/** A gate function behind its SQS buffer, with the construct's rules feeding the buffer. */
function installGate(world: World, name: string, handler: () => Handler, rules: readonly TriggerRule[]): void {
  const fn = new SimLambda(world, name, handler, {
    memoryMb: NODEJS_FUNCTION_DEFAULTS.memorySizeMb,
    timeoutSeconds: GATE_TIMEOUT_SECONDS,
    maxConcurrency: world.options.reservedConcurrency ?? world.timings.lambdaMaxConcurrency,
    retryDelaysSeconds: world.timings.lambdaRetryDelaysSeconds,
    maximumEventAgeSeconds: NODEJS_FUNCTION_DEFAULTS.maximumEventAgeSeconds,
  });
  const queue = new SimQueue(world, `${name}-events`);
  new EventSourceMapping(world, queue, fn, {
    batchSize: GATE_EVENT_BUFFER.batchSize,
    maximumBatchingWindowSeconds: GATE_EVENT_BUFFER.maximumBatchingWindowSeconds,
    maximumConcurrency: GATE_EVENT_BUFFER.maximumConcurrency,
    visibilityTimeoutSeconds: GATE_EVENT_BUFFER.visibilityTimeoutFactor * GATE_TIMEOUT_SECONDS,
    maxReceiveCount: GATE_EVENT_BUFFER.maxReceiveCount,
  });
  for (const rule of rules) {
    const send = (event: unknown): boolean => queue.send(JSON.stringify(event));
    const ruleName = `${name}-${rule.id}`;
    if (rule.eventPattern !== undefined)
      world.bus.addRule({ name: ruleName, pattern: rule.eventPattern, target: send });
    else world.bus.schedule(ruleName, ratePeriodSeconds(rule.scheduleExpression ?? '') ?? 60, send);
  }
}

export const US: Strategy = {
  id: 'US',
  description: 'ecs-ami-rollout (launch gate + drain gate behind SQS buffers, instance refresh 100/200)',
  install(world) {
    const group = world.asg;
    const d = DEFAULTS.nodeGroup;
    group.hooks = [
      {
        name: LAUNCH_HOOK_NAME,
        transition: LAUNCHING,
        heartbeatTimeout: d.launchHeartbeatTimeoutSeconds,
        defaultResult: d.launchDefaultResult,
        owner: 'eventbridge',
      },
      {
        name: TERMINATE_HOOK_NAME,
        transition: TERMINATING,
        heartbeatTimeout: d.terminateHeartbeatTimeoutSeconds,
        defaultResult: d.terminateDefaultResult,
        owner: 'eventbridge',
      },
    ];
    // What the construct writes into GATE_CONFIG with its defaults (lib/gates/lifecycle-gates.ts gateConfig).
    const config = validateGateConfig({
      clusterName: world.clusterName,
      clusterArn: world.clusterArn,
      nodeGroups: [
        {
          name: 'general',
          asgName: group.name,
          launchHookName: LAUNCH_HOOK_NAME,
          terminateHookName: TERMINATE_HOOK_NAME,
          launchHeartbeatSeconds: d.launchHeartbeatTimeoutSeconds,
          terminateHeartbeatSeconds: d.terminateHeartbeatTimeoutSeconds,
        },
      ],
      joinDeadlineSeconds: GATE_DEFAULTS.joinDeadlineSeconds,
      maxDrainSeconds: GATE_DEFAULTS.maxDrainSeconds,
      standaloneTaskGraceSeconds: GATE_DEFAULTS.standaloneTaskGraceSeconds,
      requireHealthyInstance: GATE_DEFAULTS.requireHealthyInstance,
    });
    // The gates' Auto Scaling client retries as lambdas/gates/deps.ts configures it.
    const gateAutoScaling = new FakeAwsClient(world, 'AutoScaling', autoScalingOperations(world), {
      ...JS_SDK_STANDARD,
      name: `js-sdk-v3-standard, maxAttempts ${AUTO_SCALING_MAX_ATTEMPTS}`,
      maxAttempts: () => AUTO_SCALING_MAX_ATTEMPTS,
    });
    // THE SEAM: the production handlers get fake clients and the virtual clock; nothing else is stubbed.
    const deps = (gate: string): GateDeps => ({
      ecs: world.clients.ecs,
      autoScaling: gateAutoScaling,
      ec2: world.clients.ec2,
      ssm: world.clients.ssm,
      now: () => world.sim.date(),
      config,
      logger: countingLogger(world, gate),
      metrics: noopMetrics,
    });
    const shared = { clusterArn: world.clusterArn, asgNames: [group.name], sweepSchedule: GATE_DEFAULTS.sweepSchedule };
    installGate(
      world,
      'launch-gate',
      () => createLaunchGateHandler(deps('launch-gate')) as Handler,
      launchGateRules({ ...shared, hookName: LAUNCH_HOOK_NAME }),
    );
    installGate(
      world,
      'drain-gate',
      () => createDrainGateHandler(deps('drain-gate')) as Handler,
      drainGateRules({ ...shared, hookName: TERMINATE_HOOK_NAME }),
    );
  },
  start(world) {
    // Auto mode's precondition (issue 13): no refresh while a service cannot be drained; operators are told why.
    const blocked = servicesWithoutHeadroom(
      [...world.ecs.services.values()].map((service) => ({
        name: service.name,
        schedulingStrategy: service.strategy,
        deploymentController: service.controller,
        desiredCount: service.desiredCount,
        minimumHealthyPercent: service.minimumHealthyPercent,
        maximumPercent: service.maximumPercent,
      })),
    );
    if (blocked.length > 0) {
      world.metrics.refusedRollouts.push(blocked.map((headroom) => headroom.reason).join(' | '));
      return;
    }
    new InstanceRefresh(world, world.asg, world.newAmiId, REFRESH_PREFERENCES);
  },
  failed(world) {
    if (world.metrics.refusedRollouts.length > 0) return true;
    const status = world.asg.refresh?.status;
    return status !== undefined && status !== 'InProgress' && status !== 'Successful';
  },
};
