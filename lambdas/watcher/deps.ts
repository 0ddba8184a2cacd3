/**
 * The seam of the AMI watcher: SDK clients (anything with `send`), clock, config, logger, notifier and the optional
 * gitops pipeline webhook. Unit tests and the rollout simulator build their own; Lambda uses `defaultDeps()`.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { SendClient } from '../shared/aws-client';
import { createNotifierFromEnv, type Notifier } from '../shared/notifier';
import { createPowertoolsLogger, type GateLogger } from '../shared/observability';
import { createSsmWebhookUrlSource, postWebhook, type WebhookOutcome } from '../shared/webhook';
import { parseWatcherConfig, type WatcherConfig } from './config';

/** Body POSTed to the gitops pipeline webhook when a new AMI is available (stable, versioned contract). */
export interface PipelinePayload {
  readonly type: 'ecs-ami-rollout.ami-available';
  readonly version: 1;
  readonly cluster: string;
  readonly nodeGroup: string;
  readonly asgName: string;
  readonly amiId: string;
  readonly amiName?: string;
  readonly amiCreationDate?: string;
  readonly sourceParameterName: string;
  readonly instancesOnOlderAmis: number;
  readonly detectedAt: string;
}

export interface PipelineWebhook {
  /** Never throws: 'sent' | 'skipped' (no URL) | 'refused' (not https) | 'failed'. */
  post(payload: PipelinePayload): Promise<WebhookOutcome>;
}

export interface WatcherDeps {
  readonly ssm: SendClient;
  readonly autoScaling: SendClient;
  readonly ec2: SendClient;
  /** ListServices / DescribeServices: the drain-headroom check before and at the start of a refresh. */
  readonly ecs: SendClient;
  readonly now: () => Date;
  readonly config: WatcherConfig;
  readonly logger: GateLogger;
  readonly notifier: Notifier;
  /** gitops: the pipeline webhook (undefined when `pipelineWebhookParameterName` is not configured). */
  readonly pipeline?: PipelineWebhook;
}

/**
 * The pipeline webhook: URL from an SSM SecureString (cached 5 min, never logged), posted by the shared webhook client.
 */
export function createPipelineWebhook(ssm: SendClient, parameterName: string, logger: GateLogger): PipelineWebhook {
  const source = createSsmWebhookUrlSource({ ssm, parameterName, logger });
  return {
    async post(payload) {
      const rawUrl = await source.get();
      if (!rawUrl) return 'skipped';
      return postWebhook({
        rawUrl,
        payload,
        logger,
        logContext: { webhook: 'pipeline', nodeGroup: payload.nodeGroup, amiId: payload.amiId },
      });
    },
  };
}

interface Clients {
  ssm: SSMClient;
  autoScaling: AutoScalingClient;
  ec2: EC2Client;
  ecs: ECSClient;
  sns: SNSClient;
}

/** Module scope: one set of clients (and one notifier, so one dedupe memory) per Lambda execution environment. */
let clients: Clients | undefined;
let notifier: Notifier | undefined;

export function defaultDeps(env: NodeJS.ProcessEnv = process.env): WatcherDeps {
  const config = parseWatcherConfig(env.WATCHER_CONFIG);
  const options = { retryMode: 'standard' as const };
  clients ??= {
    ssm: new SSMClient(options),
    autoScaling: new AutoScalingClient(options),
    ec2: new EC2Client(options),
    ecs: new ECSClient(options),
    sns: new SNSClient(options),
  };
  const logger = createPowertoolsLogger();
  notifier ??= createNotifierFromEnv(env, { logger, sns: clients.sns, ssm: clients.ssm });
  const pipeline = config.pipelineWebhookParameterName
    ? createPipelineWebhook(clients.ssm, config.pipelineWebhookParameterName, logger)
    : undefined;
  return {
    ssm: clients.ssm,
    autoScaling: clients.autoScaling,
    ec2: clients.ec2,
    ecs: clients.ecs,
    now: () => new Date(),
    config,
    logger,
    notifier,
    pipeline,
  };
}
