/** What the agent monitor observes of the fleet (built by adapters.ts, read by agent-decision.ts) and reports. */

/** One container instance, reduced to what the monitor decides on. */
export interface MonitoredInstance {
  readonly arn: string;
  readonly ec2InstanceId: string;
  /** ACTIVE, DRAINING, REGISTERING, DEREGISTERING, REGISTRATION_FAILED (INACTIVE ones are not listed). */
  readonly status: string;
  /** A BOOLEAN in the API. `undefined` = not reported (never treated as disconnected). */
  readonly agentConnected: boolean | undefined;
  /** PENDING | STAGING | STAGED | UPDATING | UPDATED | FAILED, or undefined when no update was ever requested. */
  readonly agentUpdateStatus?: string;
  /** versionInfo.agentVersion, e.g. "1.89.1". */
  readonly agentVersion?: string;
  /** healthStatus.overallStatus (agent ≥ 1.57): OK | IMPAIRED | INSUFFICIENT_DATA | INITIALIZING. */
  readonly healthStatus?: string;
  /** Built-in attribute `ecs.ami-id`. */
  readonly amiId?: string;
  /** Built-in attribute `ecs.os-type`: linux | windows. */
  readonly osType?: string;
  /** Built-in attribute `ecs.cpu-architecture`: x86_64 | arm64. */
  readonly cpuArchitecture?: string;
  /** Configured node group whose ASG holds the EC2 instance; undefined = not in any configured ASG. */
  readonly nodeGroup?: string;
}

/** EC2 DescribeImages facts about one AMI; absent when the image is deregistered or not visible to the account. */
export interface AmiFacts {
  readonly imageId: string;
  readonly name?: string;
  /** ISO-8601 creationDate. */
  readonly creationDate?: string;
}

/**
 * Lookups by AMI id or node group name use Maps: the ids come from instance attributes and AWS answers, and in a plain
 * object an id such as "constructor" would find an Object.prototype member (issue 18).
 */
export interface FleetSnapshot {
  readonly instances: readonly MonitoredInstance[];
  /** Keyed by AMI id. */
  readonly amis: ReadonlyMap<string, AmiFacts>;
  /** Approved AMI per node group name (undefined: not configured or its parameter could not be read). */
  readonly approvedAmis: ReadonlyMap<string, string | undefined>;
}

/** Persisted in the state parameter: compact, bounded (≪ 4 KB, the SSM Standard tier limit). */
export interface MonitorState {
  readonly v: 1;
  /** When the state last changed (ISO-8601). */
  readonly at: string;
  /** Category → fingerprint of what was last reported. An absent category means "nothing to report". */
  readonly f: Readonly<Record<string, string>>;
}

// What the monitor reports: built by agent-decision.ts, fingerprinted by notifications.ts.

/** One AMI in use in a node group. */
export interface AmiUsage {
  readonly amiId: string;
  readonly name?: string;
  readonly count: number;
  readonly approved: boolean;
  /** Whole days since the AMI's creationDate; undefined when the AMI could not be described. */
  readonly ageDays?: number;
}

export interface NodeGroupDrift {
  readonly nodeGroup: string;
  readonly approvedAmiId?: string;
  readonly approvedAmiName?: string;
  readonly instances: number;
  /** Instances not on the approved AMI (0 when the approved AMI is unknown: nothing to compare against). */
  readonly offApproved: number;
  /** AMIs in use, most instances first. */
  readonly amis: readonly AmiUsage[];
  readonly oldestAmiId?: string;
  readonly oldestAmiAgeDays?: number;
}

export interface FleetReport {
  readonly instances: number;
  /** ACTIVE instances whose agent is not connected (agentConnected === false: a boolean, never the string "False"). */
  readonly disconnected: readonly MonitoredInstance[];
  /** agentUpdateStatus FAILED. */
  readonly updateFailed: readonly MonitoredInstance[];
  /** healthStatus.overallStatus IMPAIRED. */
  readonly impaired: readonly MonitoredInstance[];
  /** agentUpdateStatus PENDING | STAGING | STAGED | UPDATING. */
  readonly updating: readonly MonitoredInstance[];
  readonly newestAgentVersion?: string;
  readonly agentsBehind: readonly MonitoredInstance[];
  readonly drift: readonly NodeGroupDrift[];
  /** Instances in none of the configured node groups' ASGs (not part of the drift report). */
  readonly unassigned: number;
}
