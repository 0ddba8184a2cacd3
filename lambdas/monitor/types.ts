/** Observed state of the fleet as the agent monitor sees it (built by adapters.ts, consumed by decide.ts). */

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

export interface FleetSnapshot {
  readonly instances: readonly MonitoredInstance[];
  /** Keyed by AMI id. */
  readonly amis: Readonly<Record<string, AmiFacts>>;
  /** Approved AMI per node group name (undefined: not configured or its parameter could not be read). */
  readonly approvedAmis: Readonly<Record<string, string | undefined>>;
}

/** Persisted in the state parameter: compact, bounded (≪ 4 KB, the SSM Standard tier limit). */
export interface MonitorState {
  readonly v: 1;
  /** When the state last changed (ISO-8601). */
  readonly at: string;
  /** Category → fingerprint of what was last reported. An absent category means "nothing to report". */
  readonly f: Readonly<Record<string, string>>;
}
