/**
 * AMI release scenarios: the REAL AMI watcher (sim/scenarios/watcher.ts) and the REAL gates (strategy US's wiring) on a
 * steady, scale-in protected cluster on AMI A (the module's default: protect_from_scale_in with capacity-provider
 * managed termination protection). At t0 AWS publishes AMI B in the public parameter (creation date t0); the watcher
 * runs hourly with the default policy (minimum age 24 h) and the node group's default refresh preferences.
 *
 * - good-ami: B works → patched.
 * - terraform-apply-during-rollout: 120 s into the watcher's refresh a Terraform apply changes the launch template;
 *   hashicorp/aws cancels the refresh and starts its own → patched, B not denied.
 * - operator-cancel: 120 s into the watcher's refresh an operator cancels it → patched (the watcher resumes), B not
 *   denied.
 * - bad-ami: no instance on B ever joins the cluster → rolled-back, B denied.
 * - half-bad-ami: each instance on B joins with probability ½ → rolled-back, B denied.
 * - stuck-refresh: as bad-ami, and Auto Scaling never fails the refresh on its own (the failure-count assumption at
 *   ∞) → rolled-back, B denied.
 * - launch-failure-during-rollback: as half-bad-ami, and EC2 has no capacity for 20 min from the start of the
 *   rollback's refresh → rolled-back, B denied.
 */
import { DEFAULTS } from '../../lib/defaults';
import { NO_FAULTS, type FaultPlan } from '../faults';
import { US } from '../strategies/ecs-ami-rollout';
import { World } from '../world';
import type { ReleaseOptions, ReleaseRun, RefreshRecord } from './release-types';
import { operatorCancel, terraformApply } from './terraform-apply';
import { installWatcher, WATCHER_PARAMETERS } from './watcher';

export const SCENARIO_NAMES = [
  'good-ami',
  'terraform-apply-during-rollout',
  'operator-cancel',
  'bad-ami',
  'half-bad-ami',
  'stuck-refresh',
  'launch-failure-during-rollback',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface ScenarioSpec extends ReleaseOptions {
  /** `name@instances`, e.g. `good-ami@20`. */
  readonly name: string;
  readonly scenario: ScenarioName;
}

/** The node group defaults (lib/defaults.ts) the watcher and Terraform render their refresh preferences from. */
export const NODE_GROUP_REFRESH = {
  minHealthyPercentage: DEFAULTS.nodeGroup.minHealthyPercentage,
  maxHealthyPercentage: DEFAULTS.nodeGroup.maxHealthyPercentage,
  instanceWarmupSeconds: DEFAULTS.nodeGroup.instanceWarmupSeconds,
};

/** Seconds after the watcher's refresh started at which Terraform applies / the operator cancels. */
export const INTERVENTION_DELAY_SECONDS = 120;
/** Length of the EC2 capacity outage of launch-failure-during-rollback. */
export const CAPACITY_OUTAGE_SECONDS = 1200;

export function scenarioSpec(scenario: ScenarioName, instances: number, seed: number): ScenarioSpec {
  const base = { name: `${scenario}@${instances}`, scenario, instances, seed };
  switch (scenario) {
    case 'good-ami':
      return { ...base, quality: 'good' };
    case 'terraform-apply-during-rollout':
      return { ...base, quality: 'good', intervention: 'terraform-apply' };
    case 'operator-cancel':
      return { ...base, quality: 'good', intervention: 'operator-cancel' };
    case 'bad-ami':
      return { ...base, quality: 'bad', hoursAfter: 2 };
    case 'half-bad-ami':
      return { ...base, quality: 'partial' };
    case 'stuck-refresh':
      return { ...base, quality: 'bad', timings: { refreshMaxFailedReplacements: Number.POSITIVE_INFINITY } };
    case 'launch-failure-during-rollback':
      return { ...base, quality: 'partial', intervention: 'capacity-outage-during-rollback' };
  }
}

function faultsFor(options: ReleaseOptions): FaultPlan {
  const extra = options.faults ?? {};
  if (options.quality === 'bad') return { ...NO_FAULTS, ...extra, badAmi: true };
  if (options.quality === 'partial') return { ...NO_FAULTS, ...extra, neverJoinProbability: 0.5 };
  return { ...NO_FAULTS, ...extra };
}

/** Every instance InService on `amiId`, at desired capacity, replica services stable. */
export function fleetOn(world: World, amiId: string): boolean {
  const all = [...world.asg.instances.values()];
  if (all.some((i) => i.imageId !== amiId || i.lifecycleState !== 'InService')) return false;
  return all.length === world.asg.desired && world.servicesStable();
}

function rolledBack(world: World): boolean {
  const state = world.ssm.value(WATCHER_PARAMETERS.state) ?? '{}';
  const denied = world.ssm.value(WATCHER_PARAMETERS.denyList) ?? '[]';
  return (
    denied.includes(world.newAmiId) &&
    world.ssm.value(WATCHER_PARAMETERS.approved) === world.oldAmiId &&
    !state.includes('"rollback"') &&
    fleetOn(world, world.oldAmiId)
  );
}

async function setUp(options: ReleaseOptions): Promise<World> {
  const world = new World({
    seed: options.seed,
    shape: { instances: options.instances },
    timings: options.timings,
    faults: faultsFor(options),
    onAwsCall: options.onAwsCall,
  });
  await world.bootstrap();
  // protect_from_scale_in (capacity-provider managed termination protection), as the module creates the group.
  world.asg.protectFromScaleIn = true;
  for (const instance of world.asg.instances.values()) instance.protectedFromScaleIn = true;
  US.install(world);
  return world;
}

export async function runRelease(options: ReleaseOptions): Promise<ReleaseRun> {
  const world = await setUp(options);
  const minAmiAgeHours = options.minAmiAgeHours ?? 24;
  const watcher = installWatcher(world, {
    minAmiAgeHours,
    refreshPreferences: NODE_GROUP_REFRESH,
    crashAfterSsmCall: options.crashWatcherAfterSsmCall,
  });
  const measureStart = world.sim.now;
  world.metrics.startMeasuring(options.instances);
  const releasedAt = measureStart + (options.releaseDelaySeconds ?? 1800);
  world.sim.at(releasedAt, () => {
    world.ec2.registerImage(world.newAmiId, 'al2023-ami-ecs-hvm-2023.0.20250106-kernel-6.1-x86_64', releasedAt);
    world.ssm.publish(WATCHER_PARAMETERS.source, world.newAmiId);
  });

  const refreshes: RefreshRecord[] = [];
  let terraformStarting = false;
  let outageDeclared = false;
  let patchedAt: number | undefined;
  let rolledBackAt: number | undefined;
  const onRefreshStarted = (id: string, targetImageId: string): void => {
    refreshes.push({ id, startedBy: terraformStarting ? 'terraform' : 'watcher', startedAt: world.sim.now });
    terraformStarting = false;
    if (refreshes.length === 1 && options.intervention === 'terraform-apply') {
      world.sim.at(world.sim.now + INTERVENTION_DELAY_SECONDS, () => {
        terraformStarting = true;
        world.sim.spawn(async () => void (await terraformApply(world, NODE_GROUP_REFRESH)));
      });
    }
    if (refreshes.length === 1 && options.intervention === 'operator-cancel') {
      world.sim.at(world.sim.now + INTERVENTION_DELAY_SECONDS, () => world.sim.spawn(() => operatorCancel(world)));
    }
    const rollbackRefresh = targetImageId === world.oldAmiId && refreshes.length > 1;
    if (rollbackRefresh && options.intervention === 'capacity-outage-during-rollback' && !outageDeclared) {
      outageDeclared = true;
      world.ec2.addCapacityOutage(world.sim.now, world.sim.now + CAPACITY_OUTAGE_SECONDS);
    }
  };

  const hoursAfter = options.hoursAfter ?? 0;
  const limit = releasedAt + (minAmiAgeHours + 10 + hoursAfter) * 3600;
  let nextCheck = 0;
  await world.sim.run(limit, () => {
    const all = world.asg.refreshes;
    while (refreshes.length < all.length)
      onRefreshStarted(all[refreshes.length].id, all[refreshes.length].targetImageId);
    if (world.sim.now < nextCheck) return false;
    nextCheck = world.sim.now + 5;
    if (world.sim.now < releasedAt) return false;
    if (patchedAt === undefined && fleetOn(world, world.newAmiId)) patchedAt = world.sim.now;
    if (rolledBackAt === undefined && rolledBack(world)) rolledBackAt = world.sim.now;
    const outcomeAt = patchedAt ?? rolledBackAt;
    const quiet = all.every((r) => r.status !== 'InProgress' && r.status !== 'Cancelling');
    return outcomeAt !== undefined && quiet && world.sim.now >= outcomeAt + hoursAfter * 3600;
  });
  return { world, watcher, options, releasedAt, measureStart, refreshes, patchedAt, rolledBackAt };
}
