/**
 * Instance refresh, following https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html
 * and the RefreshPreferences API (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html):
 * - replacements happen in batches bounded by MinHealthyPercentage (healthy capacity to keep) and
 *   MaxHealthyPercentage (capacity that may be in service or pending); max > 100 ⇒ launch before terminate;
 * - a new instance counts as healthy once InService and past the instance warm-up;
 * - optional checkpoints pause the refresh for CheckpointDelay at the given percentages;
 * - the refresh fails when replacements keep failing (instances abandoned by a launch hook or terminated before they
 *   became healthy); with AutoRollback the in-flight replacements are cancelled and the previous launch template is
 *   restored, so the old instances stay.
 */
import type { World } from '../world';
import type { AsgInstance, AutoScalingGroup } from './autoscaling';

export interface RefreshPreferences {
  readonly minHealthyPercentage: number;
  readonly maxHealthyPercentage: number;
  readonly instanceWarmupSeconds: number;
  readonly checkpointPercentages?: readonly number[];
  readonly checkpointDelaySeconds?: number;
  readonly autoRollback?: boolean;
}

export type RefreshStatus = 'InProgress' | 'Successful' | 'Failed' | 'Cancelled' | 'RollbackSuccessful';

/** Refresh status → the EventBridge event Auto Scaling emits (instance-refresh-eventbridge-events.html). */
const END_EVENTS: Partial<Record<RefreshStatus, string>> = {
  Successful: 'EC2 Auto Scaling Instance Refresh Succeeded',
  Failed: 'EC2 Auto Scaling Instance Refresh Failed',
  Cancelled: 'EC2 Auto Scaling Instance Refresh Cancelled',
};

export class InstanceRefresh {
  /** InstanceRefreshId (a UUID in AWS). */
  readonly id: string;
  status: RefreshStatus = 'InProgress';
  statusReason?: string;
  readonly startedAt: number;
  endedAt?: number;
  failedReplacements = 0;
  /** Instances InService on the target AMI when the refresh ended (what a rollback has to replace). */
  inServiceOnTargetAtEnd?: number;
  private pausedUntil = 0;
  private nextCheckpoint = 0;
  private readonly previousImageId: string;

  constructor(
    private readonly world: World,
    private readonly group: AutoScalingGroup,
    readonly targetImageId: string,
    readonly prefs: RefreshPreferences,
  ) {
    this.startedAt = world.sim.now;
    this.previousImageId = group.imageId;
    group.imageId = targetImageId;
    group.refresh = this;
    group.refreshes.push(this);
    this.id = `${String(group.refreshes.length).padStart(8, '0')}-0000-4000-9000-000000000001`;
    this.publish('EC2 Auto Scaling Instance Refresh Started');
    world.sim.every(world.timings.refreshTickSeconds, world.sim.now, () => {
      this.tick();
      return this.status === 'InProgress';
    });
  }

  private healthy(instance: AsgInstance): boolean {
    if (instance.lifecycleState !== 'InService') return false;
    if (instance.imageId !== this.targetImageId) return true;
    return this.world.sim.now >= (instance.inServiceAt ?? 0) + this.prefs.instanceWarmupSeconds;
  }

  percentageComplete(): number {
    const desired = this.group.desired;
    const done = this.group.alive().filter((i) => i.imageId === this.targetImageId && this.healthy(i)).length;
    return desired === 0 ? 100 : Math.floor((100 * Math.min(done, desired)) / desired);
  }

  /** A replacement failed to launch (launch hook ABANDON or terminated before healthy). */
  onLaunchFailed(instance: AsgInstance): void {
    if (this.status !== 'InProgress' || instance.imageId !== this.targetImageId) return;
    this.failedReplacements++;
    if (this.failedReplacements >= this.world.timings.refreshMaxFailedReplacements) {
      this.end('Failed', `${this.failedReplacements} replacement instances failed to launch or become healthy`);
    }
  }

  /** Published only when a rule listens (EventBridge.publish), so scenarios without the watcher are unaffected. */
  private publish(detailType: string): void {
    this.world.bus.publish(detailType, 'aws.autoscaling', [this.group.arn], {
      InstanceRefreshId: this.id,
      AutoScalingGroupName: this.group.name,
    });
  }

  private end(status: RefreshStatus, reason?: string): void {
    this.status = status;
    this.statusReason = reason;
    this.endedAt = this.world.sim.now;
    this.inServiceOnTargetAtEnd = this.group
      .alive()
      .filter((i) => i.imageId === this.targetImageId && i.lifecycleState === 'InService').length;
    if (status === 'Failed' && this.prefs.autoRollback !== false) {
      // Cancel in-flight replacements and restore the previous launch template.
      this.group.imageId = this.previousImageId;
      for (const instance of this.group.alive()) {
        if (instance.imageId === this.targetImageId && instance.lifecycleState !== 'InService') {
          this.group.terminate(instance, 'instance refresh failed: cancelling an in-flight replacement');
        }
      }
      this.status = 'RollbackSuccessful';
      this.publish('EC2 Auto Scaling Instance Refresh Rollback Started');
      this.publish('EC2 Auto Scaling Instance Refresh Rollback Succeeded');
    } else {
      const event = END_EVENTS[status];
      if (event) this.publish(event);
    }
    this.world.metrics.refreshEnded(this);
  }

  cancel(): void {
    if (this.status === 'InProgress') this.end('Cancelled', 'cancelled');
  }

  private tick(): void {
    if (this.status !== 'InProgress') return;
    const now = this.world.sim.now;
    const group = this.group;
    const everything = [...group.instances.values()];
    const oldLeft = everything.filter((i) => i.imageId !== this.targetImageId);
    const alive = group.alive();
    const fresh = alive.filter((i) => i.imageId === this.targetImageId);
    if (oldLeft.length === 0 && fresh.length >= group.desired && fresh.every((i) => this.healthy(i))) {
      this.end('Successful');
      return;
    }
    if (now < this.pausedUntil) return;
    const checkpoints = this.prefs.checkpointPercentages ?? [];
    if (this.nextCheckpoint < checkpoints.length && this.percentageComplete() >= checkpoints[this.nextCheckpoint]) {
      this.nextCheckpoint++;
      this.pausedUntil = now + (this.prefs.checkpointDelaySeconds ?? 3600);
      return;
    }
    const desired = group.desired;
    const minHealthy = Math.ceil((desired * this.prefs.minHealthyPercentage) / 100);
    const maxAlive = Math.max(desired, Math.floor((desired * this.prefs.maxHealthyPercentage) / 100));
    let healthyCount = alive.filter((i) => this.healthy(i)).length;
    // Terminate old instances while the healthy capacity stays at or above MinHealthyPercentage.
    const oldAlive = alive.filter((i) => i.imageId !== this.targetImageId).sort((a, b) => a.launchedAt - b.launchedAt);
    let aliveCount = alive.length;
    const replacementsHealthy = fresh.filter((i) => this.healthy(i)).length;
    let terminable = Math.min(oldAlive.length, healthyCount - minHealthy);
    for (const victim of oldAlive) {
      if (terminable <= 0) break;
      if (victim.lifecycleState !== 'InService') continue;
      group.terminate(
        victim,
        `an instance was taken out of service in response to an ` +
          `instance refresh (${replacementsHealthy} replacements ready)`,
      );
      terminable--;
      healthyCount--;
      aliveCount--;
    }
    // Launch replacements up to MaxHealthyPercentage (alive = in service or pending).
    const toLaunch = Math.min(desired - fresh.length, maxAlive - aliveCount);
    for (let i = 0; i < toLaunch; i++) group.launch('an instance was launched in response to an instance refresh');
  }
}
