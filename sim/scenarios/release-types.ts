/** Types shared by the AMI release scenarios (ami-release.ts) and their figures (release-figures.ts). */
import type { FaultPlan } from '../faults';
import type { Timings } from '../timings';
import type { World, WorldOptions } from '../world';
import type { WatcherRecord } from './watcher';

/** good: every instance on B joins; bad: none does; partial: half do (each launch independently). */
export type AmiQuality = 'good' | 'bad' | 'partial';

/** What happens to the rollout besides the AMI's quality. */
export type Intervention =
  /** hashicorp/aws applies a launch template change while the watcher's refresh runs (cancel, then its own refresh). */
  | 'terraform-apply'
  /** An operator cancels the watcher's refresh (CancelInstanceRefresh). */
  | 'operator-cancel'
  /** EC2 has no capacity for 20 minutes from the moment the rollback's refresh starts. */
  | 'capacity-outage-during-rollback';

export interface ReleaseOptions {
  readonly seed: number;
  readonly instances: number;
  readonly quality: AmiQuality;
  /** Watcher policy.minAmiAgeHours. @default 24 */
  readonly minAmiAgeHours?: number;
  /** Virtual seconds from the start of measuring to the release. @default 1800 */
  readonly releaseDelaySeconds?: number;
  /** Keep running this long after the outcome to watch later schedules. @default 0 */
  readonly hoursAfter?: number;
  readonly timings?: Partial<Timings>;
  /** Extra faults (event loss, duplicates, Lambda crashes …) on top of the AMI's quality. */
  readonly faults?: Partial<FaultPlan>;
  readonly intervention?: Intervention;
  /** Fault injection: the watcher dies right after the first SSM call this matches (see WatcherOptions). */
  readonly crashWatcherAfterSsmCall?: (command: string, input: Record<string, unknown>) => boolean;
  /** Called for every AWS request the simulated clients receive (the IAM contract test records them). */
  readonly onAwsCall?: WorldOptions['onAwsCall'];
}

/** One refresh of the group and who started it. */
export interface RefreshRecord {
  readonly id: string;
  readonly startedBy: 'watcher' | 'terraform';
  readonly startedAt: number;
}

export interface ReleaseRun {
  readonly world: World;
  readonly watcher: WatcherRecord;
  readonly options: ReleaseOptions;
  readonly releasedAt: number;
  readonly measureStart: number;
  readonly refreshes: readonly RefreshRecord[];
  /** First time every instance ran B, InService, at desired capacity, services stable. */
  readonly patchedAt?: number;
  /** First time the rollback was over: B denied, A approved, every instance on A, no rollback left in the state. */
  readonly rolledBackAt?: number;
}
