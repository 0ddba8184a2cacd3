/**
 * Where a rollout's time went: the instances at the end of its critical path and the parts of their wait, read from
 * the world after a run (sim/run.ts `inspect`). A gated rollout ends when the last old instance is terminated, and
 * that instance's termination could only begin once enough replacements were healthy, so the path is
 *   last replacement registered with ECS → launch gate completes its action (InService) → warm-up and the refresh's
 *   next evaluation → last old instances terminated: drain gate sets DRAINING → ECS drains → drain gate completes →
 *   EC2 shuts the host down.
 * Each part is reported for the instance that defines it: the last replacement to go InService, and the old instance
 * terminated last. Times are seconds after the rollout started.
 */
import { LAUNCHING } from '../aws/autoscaling-types';
import type { HookRecord } from '../metrics';
import type { World } from '../world';

export interface LaunchPath {
  readonly instanceId: string;
  /** Registered with ECS (ACTIVE, agent connected): the launch gate's condition. */
  readonly registeredS: number;
  /** Launch gate: condition held → CompleteLifecycleAction. */
  readonly launchGateS: number;
  readonly inServiceS: number;
}

export interface TerminationPath {
  readonly instanceId: string;
  /** Terminate lifecycle action started (the refresh took the instance out of service). */
  readonly terminationS: number;
  /** Drain gate: action started → container instance DRAINING. */
  readonly toDrainingS: number;
  /** ECS: DRAINING → no task left and every service that ran there stable (the drain gate's condition). */
  readonly ecsDrainS: number;
  /** Drain gate: condition held → CompleteLifecycleAction. */
  readonly drainGateS: number;
  /** EC2: CompleteLifecycleAction → instance terminated. */
  readonly shutdownS: number;
  readonly terminatedS: number;
}

export interface CriticalPath {
  readonly lastInService?: LaunchPath;
  /** The latest start of an old instance's termination (the refresh's last batch). */
  readonly lastTerminationS?: number;
  readonly lastTerminated?: TerminationPath;
  /** Gate seconds on the path: launch gate of lastInService + both drain-gate steps of lastTerminated. */
  readonly gateS?: number;
  /** Auto Scaling requests (every attempt, throttled ones included) per operation. */
  readonly autoScalingCalls: Readonly<Record<string, number>>;
  /** Throttled attempts of every service (the bench's `throttledCalls`). */
  readonly throttledCalls: number;
}

const round = (value: number): number => Number(value.toFixed(1));

function lastBy<T>(items: readonly T[], key: (item: T) => number): T | undefined {
  return items.reduce<T | undefined>(
    (best, item) => (best === undefined || key(item) > key(best) ? item : best),
    undefined,
  );
}

function launchPath(world: World, hooks: readonly HookRecord[], start: number): LaunchPath | undefined {
  const launches = new Map(hooks.filter((h) => h.transition === LAUNCHING).map((h) => [h.instanceId, h]));
  const replacements = [...world.asg.instances.values()].filter(
    (i) => i.imageId === world.newAmiId && i.inServiceAt !== undefined,
  );
  const last = lastBy(replacements, (i) => i.inServiceAt as number);
  const hook = last ? launches.get(last.id) : undefined;
  const ci = last ? world.ecs.byEc2Id.get(last.id) : undefined;
  if (!last || !hook || !ci) return undefined;
  return {
    instanceId: last.id,
    registeredS: round(ci.registeredAt - start),
    launchGateS: round(hook.completedAt - (hook.conditionMetAt ?? hook.completedAt)),
    inServiceS: round((last.inServiceAt as number) - start),
  };
}

function terminationPath(world: World, hooks: readonly HookRecord[], start: number): TerminationPath | undefined {
  const terminations = hooks.filter((h) => h.transition !== LAUNCHING);
  const ended = terminations
    .map((hook) => ({ hook, ec2: world.ec2.instances.get(hook.instanceId) }))
    .filter((t) => t.ec2?.imageId === world.oldAmiId && t.ec2.terminatedAt !== undefined);
  const last = lastBy(ended, (t) => t.ec2?.terminatedAt as number);
  if (!last) return undefined;
  const { hook } = last;
  const draining = world.watchers.drainingSince.get(hook.instanceId) ?? hook.startedAt;
  const condition = hook.conditionMetAt ?? hook.completedAt;
  const terminatedAt = last.ec2?.terminatedAt as number;
  return {
    instanceId: hook.instanceId,
    terminationS: round(hook.startedAt - start),
    toDrainingS: round(draining - hook.startedAt),
    ecsDrainS: round(condition - draining),
    drainGateS: round(hook.completedAt - condition),
    shutdownS: round(terminatedAt - hook.completedAt),
    terminatedS: round(terminatedAt - start),
  };
}

export function criticalPath(world: World, start: number): CriticalPath {
  const hooks = world.metrics.hooks;
  const lastInService = launchPath(world, hooks, start);
  const lastTerminated = terminationPath(world, hooks, start);
  const terminationStarts = hooks
    .filter((h) => h.transition !== LAUNCHING && world.ec2.instances.get(h.instanceId)?.imageId === world.oldAmiId)
    .map((h) => h.startedAt - start);
  const autoScalingCalls = Object.fromEntries(
    [...world.metrics.apiCalls]
      .filter(([key]) => key.startsWith('AutoScaling.'))
      .map(([key, count]) => [key.slice('AutoScaling.'.length), count]),
  );
  return {
    lastInService,
    lastTerminationS: terminationStarts.length > 0 ? round(Math.max(...terminationStarts)) : undefined,
    lastTerminated,
    gateS:
      lastInService && lastTerminated
        ? round(lastInService.launchGateS + lastTerminated.toDrainingS + lastTerminated.drainGateS)
        : undefined,
    autoScalingCalls,
    throttledCalls: world.metrics.throttledCalls,
  };
}
