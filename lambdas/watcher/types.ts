/**
 * Observed-state types of the AMI watcher, shared by adapters (which build them) and pure decisions (which read them).
 */

export const AMI_ID_PATTERN = /^ami-[0-9a-f]{8}([0-9a-f]{9})?$/;

export function isAmiId(value: string | undefined): boolean {
  return value !== undefined && AMI_ID_PATTERN.test(value);
}

/** EC2 DescribeImages facts about one AMI. */
export interface AmiFacts {
  readonly imageId: string;
  readonly name?: string;
  readonly creationDate?: Date;
}

/** What the source parameter yielded. */
export type Candidate =
  | { readonly kind: 'ami'; readonly amiId: string; readonly facts?: AmiFacts }
  | { readonly kind: 'missing'; readonly parameterName: string }
  | { readonly kind: 'invalid'; readonly parameterName: string; readonly value: string };

/** One instance of a node group's ASG with the AMI it runs (DescribeAutoScalingGroups + DescribeInstances). */
export interface FleetInstance {
  readonly instanceId: string;
  /** ASG lifecycle state: Pending, Pending:Wait, InService, Terminating:Wait, Standby … */
  readonly lifecycleState: string;
  /** undefined when EC2 did not (yet) describe the instance. */
  readonly imageId?: string;
}

export interface FleetView {
  readonly desiredCapacity: number;
  readonly instances: readonly FleetInstance[];
}

/**
 * What the group's scaling activities since a refresh started say about its launches (DescribeScalingActivities;
 * classification in refresh-evidence.ts).
 */
export interface RefreshEvidence {
  /** Launches that got an instance which then never went InService: the launch gate ABANDONed it (or it failed). */
  readonly abandonedLaunches: number;
  /** Launches EC2 refused before any instance existed (capacity, limits): nothing to do with the AMI. */
  readonly failedLaunches: number;
  /** Instances Auto Scaling replaced because a health check found them unhealthy. */
  readonly healthReplacements: number;
  /** Start of the newest failed launch (either kind). */
  readonly lastFailedLaunchAt?: Date;
}

/** An instance refresh as DescribeInstanceRefreshes reports it. */
export interface RefreshView {
  readonly id: string;
  readonly status: string;
  readonly statusReason?: string;
  readonly startTime?: Date;
}

/** Statuses in which Auto Scaling refuses a new refresh, and the watcher never starts one. */
export const ACTIVE_REFRESH_STATUSES: ReadonlySet<string> = new Set([
  'Pending',
  'InProgress',
  'Cancelling',
  'RollbackInProgress',
  'Baking',
]);

export function isActiveRefresh(status: string): boolean {
  return ACTIVE_REFRESH_STATUSES.has(status);
}

/** What the pause switch parameter says. Unknown values pause (fail safe) and say why. */
export interface PauseState {
  readonly paused: boolean;
  readonly reason?: string;
}
