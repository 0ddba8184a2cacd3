/** The `status` snapshot: what `status --json` prints and what the text renderer draws. Plain data, no AWS types. */

export interface InstanceRefreshView {
  readonly id?: string;
  /** Pending | InProgress | Successful | Failed | Cancelling | Cancelled | RollbackInProgress | … */
  readonly status: string;
  readonly statusReason?: string;
  readonly percentageComplete: number;
  readonly instancesToUpdate: number;
  readonly startTime?: string;
  readonly endTime?: string;
}

export interface WaitingInstanceView {
  readonly instanceId: string;
  /** Pending:Wait (launch gate) or Terminating:Wait (drain gate). */
  readonly lifecycleState: string;
  readonly gate: 'launch' | 'drain';
  /** Seconds in the wait; undefined when the start is unknown (no launch time / no recorded drain start). */
  readonly waitingSeconds?: number;
  /** What the gate would decide now (its own pure decision function on freshly observed state). */
  readonly decision: string;
  /** The gate's reason, e.g. "waiting: 3 service task(s) still running; service web not stable (running 2/3) …". */
  readonly reason: string;
}

export interface InstanceView {
  readonly instanceId: string;
  readonly lifecycleState: string;
  readonly imageId?: string;
  readonly onApprovedAmi?: boolean;
  /** ECS registration: ACTIVE, DRAINING, … or undefined when not registered (yet). */
  readonly containerInstanceStatus?: string;
  readonly agentConnected?: boolean;
}

export interface NodeGroupStatus {
  readonly name: string;
  readonly asgName: string;
  readonly amiMode: 'auto' | 'gitops' | 'unknown';
  readonly desiredCapacity: number;
  /** auto: the approved-AMI parameter's value; gitops: the launch template's image. */
  readonly approvedAmi?: string;
  /** Where the approved AMI comes from (parameter name or launch template version). */
  readonly approvedAmiSource?: string;
  /** The newest AMI the public parameter offers, and that parameter's name. */
  readonly newestAmi?: string;
  readonly newestAmiParameter?: string;
  /** The latest instance refresh (any status), or undefined when the ASG never had one. */
  readonly refresh?: InstanceRefreshView;
  readonly amiCounts: readonly { readonly imageId: string; readonly count: number; readonly approved: boolean }[];
  readonly instances: readonly InstanceView[];
  readonly waiting: readonly WaitingInstanceView[];
  /** Problems reading optional facts (e.g. a parameter that does not exist); the status still renders. */
  readonly warnings: readonly string[];
}

export interface DisconnectedAgentView {
  readonly instanceId: string;
  readonly nodeGroup: string;
  readonly containerInstanceStatus: string;
}

export interface StatusSnapshot {
  readonly cluster: string;
  readonly region?: string;
  readonly generatedAt: string;
  /** The pause switch `/ecs-ami-rollout/<cluster>/paused` ("true" pauses the watcher). */
  readonly paused: boolean;
  readonly nodeGroups: readonly NodeGroupStatus[];
  readonly disconnectedAgents: readonly DisconnectedAgentView[];
}
