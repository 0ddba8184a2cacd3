/**
 * The seam between the handlers and the world: SDK clients (anything with `send`), clock, config, logger, metrics.
 * Unit tests and the rollout simulator build their own; Lambda uses `defaultDeps()`.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SendClient } from '../shared/aws-client';
import { GateConfig, parseGateConfig } from '../shared/config';
import { GateLogger, GateMetrics, createPowertoolsLogger, createPowertoolsMetrics } from '../shared/observability';

export interface GateDeps {
  readonly ecs: SendClient;
  readonly autoScaling: SendClient;
  /** Launch gate: launch time, state and AMI of new instances. Without it the wait starts at the event time. */
  readonly ec2?: SendClient;
  /** Only needed when a node group sets `approvedAmiParameter`. */
  readonly ssm?: SendClient;
  readonly now: () => Date;
  readonly config: GateConfig;
  readonly logger: GateLogger;
  readonly metrics: GateMetrics;
}

interface Clients {
  ecs: ECSClient;
  autoScaling: AutoScalingClient;
  ec2: EC2Client;
  ssm?: SSMClient;
}

/** Module scope: one set of clients (and connections) per Lambda execution environment. */
let clients: Clients | undefined;

export function defaultDeps(env: NodeJS.ProcessEnv = process.env): GateDeps {
  const config = parseGateConfig(env.GATE_CONFIG);
  // Standard retry mode: exponential backoff with jitter and a retry quota; throttling that survives it ends the
  // check as "retry later" (see shared/aws-errors.ts).
  const options = { retryMode: 'standard' as const };
  clients ??= {
    ecs: new ECSClient(options),
    autoScaling: new AutoScalingClient(options),
    ec2: new EC2Client(options),
    ssm: config.nodeGroups.some((group) => group.approvedAmiParameter) ? new SSMClient(options) : undefined,
  };
  return {
    ...clients,
    now: () => new Date(),
    config,
    logger: createPowertoolsLogger(),
    metrics: createPowertoolsMetrics(),
  };
}
