/**
 * AMI release scenarios: the REAL AMI watcher (sim/scenarios/watcher.ts) and the REAL gates (strategy US's wiring) on a
 * steady cluster on AMI A. At t0 AWS publishes AMI B in the public parameter (creation date t0).
 *
 * - `good`: release → detection → promotion (after minAmiAgeHours) → instance refresh → fleet patched.
 * - `bad`: every instance on B never joins ECS; the launch gate ABANDONs each at its join deadline, the refresh fails
 *   after repeated failed replacements, the watcher restores A, denies B and replaces any instance on B; then the
 *   scenario keeps running (`hoursAfter`) to show B is never promoted again.
 * - `partial`: half the instances on B never join: the refresh fails with some instances already InService on B, so
 *   the rollback has to terminate them (TerminateInstanceInAutoScalingGroup batches through the drain gate).
 */
import { World, type WorldOptions } from '../world';
import { NO_FAULTS, type FaultPlan } from '../faults';
import type { Timings } from '../timings';
import { US } from '../strategies/ecs-ami-rollout';
import { installWatcher, WATCHER_PARAMETERS, type WatcherRecord } from './watcher';
import { summarize, type ReleaseFigures } from './release-figures';

export type AmiQuality = 'good' | 'bad' | 'partial';

export interface ReleaseOptions {
  readonly seed: number;
  readonly instances: number;
  readonly quality: AmiQuality;
  /** Watcher policy.minAmiAgeHours. @default 24 */
  readonly minAmiAgeHours?: number;
  /** Virtual seconds from the start of measuring to the release. @default 1800 */
  readonly releaseDelaySeconds?: number;
  /** Keep running this long after the outcome (rollback done / fleet patched) to watch later schedules. */
  readonly hoursAfter?: number;
  readonly timings?: Partial<Timings>;
  /** Extra faults (event loss, duplicates, Lambda crashes …) on top of the AMI's quality. */
  readonly faults?: Partial<FaultPlan>;
  /** Fault injection: the watcher dies right after the first SSM call this matches (see WatcherOptions). */
  readonly crashWatcherAfterSsmCall?: (command: string, input: Record<string, unknown>) => boolean;
  /** Called for every AWS request the simulated clients receive (the IAM contract test records them). */
  readonly onAwsCall?: WorldOptions['onAwsCall'];
  /** Refresh preferences (the project's defaults: lib/defaults.ts). */
  readonly refreshPreferences?: {
    minHealthyPercentage: number;
    maxHealthyPercentage: number;
    instanceWarmupSeconds: number;
  };
}

export const DEFAULT_REFRESH_PREFERENCES = {
  minHealthyPercentage: 100,
  maxHealthyPercentage: 200,
  instanceWarmupSeconds: 60,
};

export interface ReleaseRun {
  readonly world: World;
  readonly watcher: WatcherRecord;
  readonly releasedAt: number;
  readonly measureStart: number;
  /**
   * First time every instance ran B, InService, services stable (good) / every instance back on A after the rollback.
   */
  readonly outcomeAt?: number;
}

function faultsFor(quality: AmiQuality, extra: Partial<FaultPlan> = {}): FaultPlan {
  if (quality === 'bad') return { ...NO_FAULTS, ...extra, badAmi: true };
  if (quality === 'partial') return { ...NO_FAULTS, ...extra, neverJoinProbability: 0.5 };
  return { ...NO_FAULTS, ...extra };
}

/** Every instance InService on `amiId`, none on another AMI, desired capacity met, replica services stable. */
export function fleetOn(world: World, amiId: string): boolean {
  const all = [...world.asg.instances.values()];
  if (all.some((i) => i.imageId !== amiId || i.lifecycleState !== 'InService')) return false;
  return all.length === world.asg.desired && world.servicesStable();
}

export async function runRelease(options: ReleaseOptions): Promise<ReleaseRun> {
  const minAmiAgeHours = options.minAmiAgeHours ?? 24;
  const world = new World({
    seed: options.seed,
    shape: { instances: options.instances },
    timings: options.timings,
    faults: faultsFor(options.quality, options.faults),
    onAwsCall: options.onAwsCall,
  });
  await world.bootstrap();
  US.install(world);
  const watcher = installWatcher(world, {
    minAmiAgeHours,
    refreshPreferences: options.refreshPreferences ?? DEFAULT_REFRESH_PREFERENCES,
    crashAfterSsmCall: options.crashWatcherAfterSsmCall,
  });
  const measureStart = world.sim.now;
  world.metrics.startMeasuring(options.instances);
  const releasedAt = measureStart + (options.releaseDelaySeconds ?? 1800);
  world.sim.at(releasedAt, () => {
    world.ec2.registerImage(world.newAmiId, 'al2023-ami-ecs-hvm-2023.0.20250106-kernel-6.1-x86_64', releasedAt);
    world.ssm.publish(WATCHER_PARAMETERS.source, world.newAmiId);
  });

  const target = options.quality === 'good' ? world.newAmiId : world.oldAmiId;
  const hoursAfter = options.hoursAfter ?? 0;
  const limit = releasedAt + (minAmiAgeHours + 6 + hoursAfter) * 3600;
  let outcomeAt: number | undefined;
  let nextCheck = 0;
  await world.sim.run(limit, () => {
    if (world.sim.now < nextCheck) return false;
    nextCheck = world.sim.now + 5;
    if (outcomeAt === undefined && outcomeReached(world, target)) outcomeAt = world.sim.now;
    const refreshEnded = world.asg.refreshes.every((r) => r.status !== 'InProgress');
    return outcomeAt !== undefined && refreshEnded && world.sim.now >= outcomeAt + hoursAfter * 3600;
  });
  return { world, watcher, releasedAt, measureStart, outcomeAt };
}

/** good: fleet patched. bad/partial: the refresh ended, the watcher's rollback finished and the fleet is whole on A. */
function outcomeReached(world: World, target: string): boolean {
  if (world.asg.refreshes.length === 0) return false;
  if (target === world.newAmiId) return fleetOn(world, target);
  const refresh = world.asg.refreshes[0];
  if (refresh.status === 'InProgress') return false;
  const state = world.ssm.value(WATCHER_PARAMETERS.state) ?? '{}';
  return !state.includes('"rollback"') && fleetOn(world, target);
}

export interface ScenarioSpec extends ReleaseOptions {
  readonly label: string;
}

/** The scenarios `npm run sim:release` prints and the test asserts on (20 instances, seed 1). */
export function releaseScenarios(seed = 1, instances = 20): ScenarioSpec[] {
  return [
    { label: 'good AMI, default policy (min age 24 h)', seed, instances, quality: 'good', minAmiAgeHours: 24 },
    { label: 'good AMI, min age 0', seed, instances, quality: 'good', minAmiAgeHours: 0 },
    {
      label: 'good AMI, min age 0, synchronous SSM validation',
      seed,
      instances,
      quality: 'good',
      minAmiAgeHours: 0,
      timings: { ssmImageValidation: { median: 0, sigma: 0, min: 0, max: 0 } },
    },
    {
      label: 'bad AMI (never joins), default policy',
      seed,
      instances,
      quality: 'bad',
      minAmiAgeHours: 24,
      hoursAfter: 3,
    },
    {
      label: 'half-bad AMI (50 % never join), default policy',
      seed,
      instances,
      quality: 'partial',
      minAmiAgeHours: 24,
      hoursAfter: 3,
    },
  ];
}

export async function runReleaseScenario(spec: ScenarioSpec): Promise<ReleaseFigures> {
  const run = await runRelease(spec);
  return summarize(spec.label, spec.quality, run);
}
