/**
 * The seam between the handlers and the world: SDK clients (anything with `send`), clock, config, logger, metrics.
 * Unit tests and the rollout simulator build their own; Lambda uses `defaultDeps()`.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { SendClient } from '../shared/aws-client';
import { AUTO_SCALING_MAX_ATTEMPTS } from './adapters/autoscaling';
import { GateConfig, parseGateConfig } from '../shared/config';
import { createNotifierFromEnv, type Notifier } from '../shared/notifier';
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
  /**
   * Reports the gates' alerts (launch abandoned, drain forced) to SNS / the webhook. Optional: without it the alert is
   * the log line and the metric only (tests, simulator).
   */
  readonly notifier?: Notifier;
}

interface Clients {
  ecs: ECSClient;
  autoScaling: AutoScalingClient;
  ec2: EC2Client;
  ssm?: SSMClient;
  sns: SNSClient;
  notifierSsm: SSMClient;
}

/** Module scope: one set of clients (and connections) per Lambda execution environment. */
let clients: Clients | undefined;
/** One notifier per execution environment: its dedupe memory survives warm invocations. */
let notifier: Notifier | undefined;

export function defaultDeps(env: NodeJS.ProcessEnv = process.env): GateDeps {
  const config = parseGateConfig(env.GATE_CONFIG);
  // Standard retry mode: exponential backoff with jitter and a retry quota; throttling that survives it ends the
  // check as "retry later" (see shared/aws-errors.ts).
  const options = { retryMode: 'standard' as const };
  clients ??= {
    ecs: new ECSClient(options),
    autoScaling: new AutoScalingClient({ ...options, maxAttempts: AUTO_SCALING_MAX_ATTEMPTS }),
    ec2: new EC2Client(options),
    ssm: config.nodeGroups.some((group) => group.approvedAmiParameter) ? new SSMClient(options) : undefined,
    sns: new SNSClient(options),
    notifierSsm: new SSMClient(options),
  };
  const logger = createPowertoolsLogger();
  notifier ??= createNotifierFromEnv(env, { logger, sns: clients.sns, ssm: clients.notifierSsm });
  return {
    ecs: clients.ecs,
    autoScaling: clients.autoScaling,
    ec2: clients.ec2,
    ssm: clients.ssm,
    now: () => new Date(),
    config,
    logger,
    metrics: createPowertoolsMetrics(),
    notifier,
  };
}
