/**
 * The seam of the agent monitor: SDK clients (anything with `send`), clock, config, logger, metrics and notifier.
 * Unit tests and the rollout simulator build their own; Lambda uses `defaultDeps()`.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { SendClient } from '../shared/aws-client';
import { createNotifierFromEnv, type Notifier } from '../shared/notifier';
import { createPowertoolsLogger, METRICS_NAMESPACE, type GateLogger } from '../shared/observability';
import { parseMonitorConfig, type MonitorConfig } from './config';

export type MonitorMetricName =
  /** ACTIVE container instances whose agent is disconnected. */
  | 'DisconnectedAgents'
  /** Container instances whose healthStatus.overallStatus is IMPAIRED. */
  | 'ImpairedInstances'
  /** Instances (all node groups) not running their node group's approved AMI. */
  | 'InstancesOffApprovedAmi'
  /** Agents older than the newest agent version seen in the fleet. */
  | 'AgentsBehindNewest'
  /** Container instances whose agentUpdateStatus is FAILED. */
  | 'AgentUpdateStatusFailed'
  /** UpdateContainerAgent calls accepted this run. */
  | 'AgentUpdatesStarted'
  /** UpdateContainerAgent calls that failed this run (unexpected errors, throttling; not the expected states). */
  | 'AgentUpdatesFailed';

export interface MonitorMetrics {
  /** Emits one EMF document: every value under namespace EcsAmiRollout with dimension `cluster`. */
  publish(cluster: string, values: Readonly<Record<MonitorMetricName, number>>): void;
}

export interface AgentMonitorDeps {
  readonly ecs: SendClient;
  readonly autoScaling: SendClient;
  readonly ec2: SendClient;
  readonly ssm: SendClient;
  /** Used by the default notifier; kept in deps so the simulator can observe SNS traffic. */
  readonly sns: SendClient;
  readonly now: () => Date;
  readonly config: MonitorConfig;
  readonly logger: GateLogger;
  readonly metrics: MonitorMetrics;
  readonly notifier: Notifier;
}

export function createPowertoolsMonitorMetrics(): MonitorMetrics {
  const metrics = new Metrics({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE });
  return {
    publish(cluster, values) {
      metrics.addDimension('cluster', cluster);
      for (const [name, value] of Object.entries(values)) metrics.addMetric(name, MetricUnit.Count, value);
      metrics.publishStoredMetrics();
    },
  };
}

interface Clients {
  ecs: ECSClient;
  autoScaling: AutoScalingClient;
  ec2: EC2Client;
  ssm: SSMClient;
  sns: SNSClient;
}

/** Module scope: one set of clients (and one notifier, so one dedupe memory) per Lambda execution environment. */
let clients: Clients | undefined;
let notifier: Notifier | undefined;

export function defaultDeps(env: NodeJS.ProcessEnv = process.env): AgentMonitorDeps {
  const config = parseMonitorConfig(env.MONITOR_CONFIG);
  const options = { retryMode: 'standard' as const };
  clients ??= {
    ecs: new ECSClient(options),
    autoScaling: new AutoScalingClient(options),
    ec2: new EC2Client(options),
    ssm: new SSMClient(options),
    sns: new SNSClient(options),
  };
  const logger = createPowertoolsLogger();
  notifier ??= createNotifierFromEnv(env, { logger, sns: clients.sns, ssm: clients.ssm });
  return { ...clients, now: () => new Date(), config, logger, metrics: createPowertoolsMonitorMetrics(), notifier };
}
