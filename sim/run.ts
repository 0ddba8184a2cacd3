/** Runs one scenario: bootstrap the cluster, install a strategy, roll out the new AMI, and measure. */
import { World, type ClusterShape, type WorldOptions } from './world';
import { STRATEGIES, type StrategyId } from './strategies';
import { percentile } from './metrics';
import type { FaultPlan } from './faults';
import type { Timings } from './timings';

export interface RunOptions {
  readonly strategy: StrategyId;
  readonly seed: number;
  readonly shape: ClusterShape;
  readonly timings?: Partial<Timings>;
  readonly faults?: FaultPlan;
  /** Virtual time limit of the rollout. */
  readonly maxSeconds?: number;
  /** Called for every AWS request the simulated clients receive (the IAM contract test records them). */
  readonly onAwsCall?: WorldOptions['onAwsCall'];
  /** Reserved concurrency of the gate functions (bench --reserved-concurrency). */
  readonly reservedConcurrency?: number;
  /** Called with the world once the run ended, and the virtual time the rollout started (critical-path analysis). */
  readonly inspect?: (world: World, rolloutStart: number) => void;
}

export interface RunResult {
  readonly strategy: StrategyId;
  readonly instances: number;
  readonly seed: number;
  readonly completed: boolean;
  readonly failed: boolean;
  /** Failed, then settled with every service at its desired count. */
  readonly failedSafe: boolean;
  readonly makespanS: number | null;
  readonly lowestHealthyPct: number;
  readonly undrainedTaskStops: number;
  readonly undrainedDaemonStops: number;
  readonly undrainedDetails: readonly string[];
  readonly hookLatencyP50S: number | null;
  readonly hookLatencyP99S: number | null;
  readonly maxHookLatencyS: number | null;
  readonly hooksHitGlobalTimeout: number;
  /** Lifecycle actions that ended by their heartbeat timeout (their wait is included in the latency percentiles). */
  readonly hooksTimedOut: number;
  readonly hookHeartbeatTimeouts: number;
  readonly forcedDrains: number;
  /** Drains a gate held with an alert to operators (no headroom, or slower than maxDrainSeconds). */
  readonly drainsHeld: number;
  /** Why the rollout was refused before any termination (a service cannot be drained); empty when it started. */
  readonly refusedBecause: readonly string[];
  /** Neither completed nor failed safe: held at a gate, with operators notified (the drain cannot finish alone). */
  readonly heldForOperator: boolean;
  readonly lambdaInvocations: number;
  readonly lambdaGbSeconds: number;
  readonly lambdaTimeouts: number;
  readonly lambdaCrashes: number;
  readonly lambdaRetryLater: number;
  readonly ecsApiCalls: number;
  readonly apiCalls: Readonly<Record<string, number>>;
  readonly throttledCalls: number;
  readonly unhandledErrors: readonly string[];
  readonly unsupportedCommands: readonly string[];
  readonly refreshOutcome?: string;
  readonly timeline: readonly { t: number; pct: number }[];
  readonly simulatedSeconds: number;
  readonly eventsProcessed: number;
  /** Instances on the new AMI InService at the end (progress of an unfinished run). */
  readonly replacedInstances: number;
}

const round = (value: number | null, digits = 2): number | null =>
  value === null ? null : Number(value.toFixed(digits));

export async function runScenario(options: RunOptions): Promise<RunResult> {
  const world = new World({
    seed: options.seed,
    shape: options.shape,
    timings: options.timings,
    faults: options.faults,
    onAwsCall: options.onAwsCall,
    reservedConcurrency: options.reservedConcurrency,
  });
  await world.bootstrap();
  const strategy = STRATEGIES[options.strategy];
  strategy.install(world);
  const start = world.sim.now;
  world.metrics.startMeasuring(options.shape.instances);
  strategy.start(world);
  const limit = start + (options.maxSeconds ?? 6 * 3600);
  let completedAt: number | undefined;
  let failedAt: number | undefined;
  let nextCheck = 0;
  await world.sim.run(limit, () => {
    if (world.sim.now < nextCheck) return false;
    nextCheck = world.sim.now + 1;
    if (completedAt === undefined && world.rolloutComplete()) completedAt = world.sim.now;
    if (completedAt !== undefined) return true;
    if (failedAt === undefined && strategy.failed(world)) failedAt = world.sim.now;
    // After a failure, give the group time to settle (cancelled replacements terminate, services recover).
    return failedAt !== undefined && world.sim.now > failedAt + 900 && settled(world);
  });
  const failed = completedAt === undefined && strategy.failed(world);
  options.inspect?.(world, start);
  const m = world.metrics;
  const latencies = m.hookLatencies();
  return {
    strategy: options.strategy,
    instances: options.shape.instances,
    seed: options.seed,
    completed: completedAt !== undefined,
    failed,
    failedSafe: failed && settled(world),
    makespanS: completedAt === undefined ? null : round(completedAt - start, 1),
    lowestHealthyPct: round(m.lowestHealthyPct, 1) as number,
    undrainedTaskStops: m.undrainedServiceTaskStops,
    undrainedDaemonStops: m.undrainedDaemonTaskStops,
    undrainedDetails: m.undrainedDetails,
    hookLatencyP50S: round(percentile(latencies, 50)),
    hookLatencyP99S: round(percentile(latencies, 99)),
    maxHookLatencyS: round(latencies.length > 0 ? Math.max(...latencies) : null),
    hooksHitGlobalTimeout: m.hooksHitGlobalTimeout,
    hooksTimedOut: m.hooksTimedOut,
    hookHeartbeatTimeouts: m.hookHeartbeatTimeouts,
    forcedDrains: m.forcedDrains,
    drainsHeld: m.drainsHeld,
    refusedBecause: [...m.refusedRollouts],
    heldForOperator: completedAt === undefined && !failed && m.drainsHeld > 0,
    lambdaInvocations: m.lambdaInvocations,
    lambdaGbSeconds: round(m.lambdaGbSeconds, 3) as number,
    lambdaTimeouts: m.lambdaTimeouts,
    lambdaCrashes: m.lambdaCrashes,
    lambdaRetryLater: m.lambdaRetryLater,
    ecsApiCalls: m.ecsApiCalls,
    apiCalls: Object.fromEntries([...m.apiCalls].sort()),
    throttledCalls: m.throttledCalls,
    unhandledErrors: m.unhandledErrors.map((e) => `${e.fn}@${e.at.toFixed(0)}s ${e.message}`),
    unsupportedCommands: [...m.unsupported],
    refreshOutcome: world.asg.refresh?.status,
    timeline: m.timeline.map((p) => ({ t: round(p.t - start, 1) as number, pct: round(p.pct, 1) as number })),
    simulatedSeconds: round(world.sim.now - start, 1) as number,
    eventsProcessed: world.sim.eventsProcessed,
    replacedInstances: [...world.asg.instances.values()].filter(
      (i) => i.imageId === world.newAmiId && i.lifecycleState === 'InService',
    ).length,
  };
}

/** Nothing pending or terminating, and every replica service at its desired count with healthy tasks. */
function settled(world: World): boolean {
  for (const instance of world.asg.instances.values()) {
    if (instance.lifecycleState !== 'InService') return false;
  }
  return world.servicesStable();
}
