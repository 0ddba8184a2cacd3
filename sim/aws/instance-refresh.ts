/**
 * Instance refresh (Rolling), following "How an instance refresh works"
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-overview.html), the RefreshPreferences API
 * (https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_RefreshPreferences.html) and "Cancel an instance
 * refresh" (https://docs.aws.amazon.com/autoscaling/ec2/userguide/cancel-instance-refresh.html):
 * - replaces, in batches, the instances it found at its start (SkipMatching false: all of them; true: those whose
 *   launch template version differs from the group's — with `resolve:ssm:` none does); MinHealthyPercentage is the
 *   healthy capacity kept, MaxHealthyPercentage the in-service + pending ceiling; min 100 % ⇒ launch before terminate;
 * - a replacement counts as healthy once InService and past the instance warm-up;
 * - checkpoints pause it for CheckpointDelay (default 3600 s);
 * - ScaleInProtectedInstances: Refresh replaces protected instances, Ignore skips them, Wait (the API default) "waits
 *   one hour for you to remove scale-in protection. Otherwise, the instance refresh will fail"
 *   (PROTECTED_WAIT_SECONDS);
 * - CancelInstanceRefresh: Cancelling, then Cancelled; replacements already made stay, in-flight launches complete;
 * - "An instance refresh might fail for several reasons, such as EC2 launch failures" (StartInstanceRefresh API
 *   reference) — AWS documents no count. *Assumption* (timings.refreshMaxFailedReplacements, default 3, Infinity =
 *   never): the refresh fails after that many of its launches failed (EC2 refused them, or the instance was abandoned
 *   or terminated before it became healthy); sensitivity in docs/aws-contract.md;
 * - with AutoRollback a failure cancels in-flight replacements and restores the previous launch template.
 * Standby instances are not simulated (no scenario puts one in Standby). CloudWatch alarms (AlarmSpecification) are not
 * simulated either: no scenario configures one.
 */
import type { Simulation } from '../clock';
import type { Timings } from '../timings';
import type { AsgInstance } from './autoscaling-types';

/** RefreshPreferences, ScaleInProtectedInstances "Wait": one hour, then the refresh fails. */
export const PROTECTED_WAIT_SECONDS = 3600;
/** *Assumption*: AWS documents Cancelling → Cancelled without a duration; one evaluation period here. */
export const CANCELLING_TICKS = 1;

export type ProtectedInstancesPreference = 'Refresh' | 'Ignore' | 'Wait';

export interface RefreshPreferences {
  readonly minHealthyPercentage: number;
  readonly maxHealthyPercentage: number;
  readonly instanceWarmupSeconds: number;
  readonly checkpointPercentages?: readonly number[];
  readonly checkpointDelaySeconds?: number;
  readonly autoRollback?: boolean;
  /** API default false. */
  readonly skipMatching?: boolean;
  /** API default "Wait". */
  readonly scaleInProtectedInstances?: ProtectedInstancesPreference;
}

export type RefreshStatus = 'InProgress' | 'Cancelling' | 'Successful' | 'Failed' | 'Cancelled' | 'RollbackSuccessful';

/** Statuses in which StartInstanceRefresh answers InstanceRefreshInProgressFault. */
export const ACTIVE_STATUSES: ReadonlySet<RefreshStatus> = new Set(['InProgress', 'Cancelling']);

/** Refresh status → the EventBridge event Auto Scaling emits (instance-refresh-eventbridge-events.html). */
const END_EVENTS: Partial<Record<RefreshStatus, string>> = {
  Successful: 'EC2 Auto Scaling Instance Refresh Succeeded',
  Failed: 'EC2 Auto Scaling Instance Refresh Failed',
  Cancelled: 'EC2 Auto Scaling Instance Refresh Cancelled',
};

/** What a refresh needs from the world (sim/world.ts's World satisfies it). */
export interface RefreshContext {
  readonly sim: Simulation;
  readonly timings: Timings;
  readonly bus: {
    publish(detailType: string, source: string, resources: string[], detail: Record<string, unknown>): void;
  };
  readonly metrics: { refreshEnded(refresh: InstanceRefresh): void };
}

/** What a refresh reads and drives on its group (autoscaling.ts's AutoScalingGroup satisfies it). */
export interface RefreshedGroup {
  readonly arn: string;
  readonly name: string;
  imageId: string;
  readonly desired: number;
  readonly launchTemplateVersion: number;
  refresh?: InstanceRefresh;
  readonly refreshes: InstanceRefresh[];
  alive(): AsgInstance[];
  tryLaunch(cause: string): AsgInstance | undefined;
  terminate(instance: AsgInstance, cause: string, decrementDesired?: boolean): void;
}

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
  /** The instances this refresh has to replace (found at its start, minus those it may skip). */
  private readonly toReplace = new Set<string>();
  /** Instances this refresh launched. */
  private readonly launched = new Set<string>();
  private pausedUntil = 0;
  private nextCheckpoint = 0;
  private protectedWaitSince?: number;
  private cancellingTicks = 0;
  private readonly previousImageId: string;

  constructor(
    private readonly world: RefreshContext,
    private readonly group: RefreshedGroup,
    readonly targetImageId: string,
    readonly prefs: RefreshPreferences,
  ) {
    this.startedAt = world.sim.now;
    this.previousImageId = group.imageId;
    group.imageId = targetImageId;
    group.refresh = this;
    group.refreshes.push(this);
    this.id = `${String(group.refreshes.length).padStart(8, '0')}-0000-4000-9000-000000000001`;
    for (const instance of group.alive()) {
      const matches = prefs.skipMatching === true && instance.launchTemplateVersion === group.launchTemplateVersion;
      const ignored = instance.protectedFromScaleIn && prefs.scaleInProtectedInstances === 'Ignore';
      if (!matches && !ignored) this.toReplace.add(instance.id);
    }
    this.publish('EC2 Auto Scaling Instance Refresh Started');
    world.sim.every(world.timings.refreshTickSeconds, world.sim.now, () => {
      this.tick();
      return this.status === 'InProgress' || this.status === 'Cancelling';
    });
  }

  private healthy(instance: AsgInstance): boolean {
    if (instance.lifecycleState !== 'InService') return false;
    if (instance.launchedAt < this.startedAt) return true;
    return this.world.sim.now >= (instance.inServiceAt ?? 0) + this.prefs.instanceWarmupSeconds;
  }

  percentageComplete(): number {
    const total = Math.max(1, this.toReplaceAtStart());
    const remaining = this.group.alive().filter((i) => this.toReplace.has(i.id)).length;
    return Math.floor((100 * (total - remaining)) / total);
  }

  private toReplaceAtStart(): number {
    return this.toReplace.size;
  }

  /** A launch of this refresh failed: EC2 refused it (no instance), or its instance never became healthy. */
  onLaunchFailed(instance?: AsgInstance): void {
    if (this.status !== 'InProgress') return;
    if (instance !== undefined && !this.launched.has(instance.id)) return;
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
    if (status === 'Failed' && this.prefs.autoRollback === true) {
      // Cancel in-flight replacements and restore the previous launch template.
      this.group.imageId = this.previousImageId;
      for (const instance of this.group.alive()) {
        if (this.launched.has(instance.id) && instance.lifecycleState !== 'InService') {
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

  /** CancelInstanceRefresh: false when there is nothing to cancel (ActiveInstanceRefreshNotFound). */
  cancel(): boolean {
    if (this.status !== 'InProgress') return false;
    this.status = 'Cancelling';
    this.statusReason = 'Cancelling the instance refresh';
    return true;
  }

  private tick(): void {
    if (this.status === 'Cancelling') {
      if (++this.cancellingTicks > CANCELLING_TICKS) this.end('Cancelled', 'The instance refresh was cancelled');
      return;
    }
    if (this.status !== 'InProgress') return;
    const now = this.world.sim.now;
    const group = this.group;
    const alive = group.alive();
    const old = alive.filter((i) => this.toReplace.has(i.id));
    const current = alive.filter((i) => !this.toReplace.has(i.id));
    const desired = group.desired;
    if (old.length === 0 && current.length >= desired && current.every((i) => this.healthy(i))) {
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
    this.terminateOld(old, alive);
    if (this.status !== 'InProgress') return;
    const minAlive = group.alive().length;
    const maxAlive = Math.max(desired, Math.floor((desired * this.prefs.maxHealthyPercentage) / 100));
    const toLaunch = Math.min(desired - current.length, maxAlive - minAlive);
    for (let i = 0; i < toLaunch; i++) {
      const instance = group.tryLaunch('an instance was launched in response to an instance refresh');
      if (instance) this.launched.add(instance.id);
      else this.onLaunchFailed();
    }
  }

  /** Terminates old instances while the healthy capacity stays at or above MinHealthyPercentage. */
  private terminateOld(old: AsgInstance[], alive: AsgInstance[]): void {
    const desired = this.group.desired;
    const minHealthy = Math.ceil((desired * this.prefs.minHealthyPercentage) / 100);
    let terminable = alive.filter((i) => this.healthy(i)).length - minHealthy;
    const ready = alive.filter((i) => this.launched.has(i.id) && this.healthy(i)).length;
    let blockedByProtection = false;
    for (const victim of [...old].sort((a, b) => a.launchedAt - b.launchedAt)) {
      if (terminable <= 0) break;
      if (victim.lifecycleState !== 'InService') continue;
      if (victim.protectedFromScaleIn && (this.prefs.scaleInProtectedInstances ?? 'Wait') === 'Wait') {
        blockedByProtection = true;
        continue;
      }
      this.group.terminate(
        victim,
        `an instance was taken out of service in response to an instance refresh (${ready} replacements ready)`,
      );
      terminable--;
    }
    if (!blockedByProtection) {
      this.protectedWaitSince = undefined;
      return;
    }
    const now = this.world.sim.now;
    this.protectedWaitSince ??= now;
    if (now - this.protectedWaitSince >= PROTECTED_WAIT_SECONDS) {
      this.end('Failed', 'Waiting for instances protected from scale in timed out');
    }
  }
}
