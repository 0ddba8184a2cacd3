/** Shared test kit for the AMI watcher tests: config, clock, fixtures and a recording logger. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateWatcherConfig, WatcherConfig, WatcherConfigInput } from '../../../../lambdas/watcher/config';

export const CLUSTER_ARN = 'arn:aws:ecs:us-west-2:123456789012:cluster/prod';
export const ASG = 'prod-general';
export const GITOPS_ASG = 'prod-gpu';
export const SOURCE = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';
export const GPU_SOURCE = '/aws/service/ecs/optimized-ami/amazon-linux-2023/gpu/recommended/image_id';
export const APPROVED = '/ecs-ami-rollout/prod/general/approved-ami';
export const PREVIOUS = '/ecs-ami-rollout/prod/general/previous-ami';
export const STATE = '/ecs-ami-rollout/prod/general/watcher-state';
export const GITOPS_STATE = '/ecs-ami-rollout/prod/gpu/watcher-state';
export const PAUSE = '/ecs-ami-rollout/prod/paused';
export const DENY = '/ecs-ami-rollout/prod/denied-amis';
export const PIPELINE = '/ecs-ami-rollout/prod/pipeline-webhook';
export const LEGACY_TOPIC = 'arn:aws:sns:us-west-2:123456789012:ecs-optimized-amazon-ami-update';

export const AMI_OLD = 'ami-0a0a0a0a0a0a0a0a0';
export const AMI_CUR = 'ami-0b0b0b0b0b0b0b0b0';
export const AMI_NEW = 'ami-0c0c0c0c0c0c0c0c0';

/** A Wednesday, inside the default test window (Tue–Thu 09–16 UTC). */
export const T0 = new Date('2025-03-05T10:00:00.000Z');

export function hoursAfter(hours: number, from: Date = T0): Date {
  return new Date(from.getTime() + hours * 3600_000);
}

export const PREFS = {
  minHealthyPercentage: 90,
  maxHealthyPercentage: 120,
  instanceWarmupSeconds: 60,
  checkpointPercentages: [50, 100],
  checkpointDelaySeconds: 600,
};

export function watcherConfigInput(overrides: Partial<WatcherConfigInput> = {}): WatcherConfigInput {
  return {
    clusterName: 'prod',
    clusterArn: CLUSTER_ARN,
    nodeGroups: [
      {
        name: 'general',
        asgName: ASG,
        mode: 'auto',
        sourceParameterName: SOURCE,
        approvedParameterName: APPROVED,
        previousParameterName: PREVIOUS,
        stateParameterName: STATE,
        refreshPreferences: PREFS,
      },
      {
        name: 'gpu',
        asgName: GITOPS_ASG,
        mode: 'gitops',
        sourceParameterName: GPU_SOURCE,
        stateParameterName: GITOPS_STATE,
        refreshPreferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmupSeconds: 300 },
      },
    ],
    policy: { minAmiAgeHours: 24, maintenanceWindows: [] },
    pauseParameterName: PAUSE,
    denyListParameterName: DENY,
    ...overrides,
  };
}

export function watcherConfig(overrides: Partial<WatcherConfigInput> = {}): WatcherConfig {
  return validateWatcherConfig(watcherConfigInput(overrides));
}

export { recordingLogger } from '../../../support/recording-logger';
export type { LogLine } from '../../../support/recording-logger';
import type { LogLine } from '../../../support/recording-logger';

/** Decision lines (one per node group per run). */
export function decisionLines(logger: { lines: LogLine[] }): LogLine[] {
  return logger.lines.filter((line) => line.message === 'ami watcher decision');
}

const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'aws-events');

export function loadEvent(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
}

/** A documented refresh sample with our ASG and refresh id (the fixture itself is never changed). */
export function refreshEvent(name: string, detail: Record<string, unknown>): Record<string, unknown> {
  const event = loadEvent(`watcher/autoscaling-instance-refresh-${name}.json`);
  return { ...event, detail: { ...(event.detail as object), ...detail } };
}
