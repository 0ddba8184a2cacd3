/**
 * The environment a deployed function starts with, for measuring cold starts outside Lambda: each entry builds its
 * handler (config parsed, SDK clients created) at module load, so `require()` of a bundle needs its config variable.
 * One small valid config per function, typed by the handlers' own config schemas.
 */
import type { GateConfigInput } from '../lambdas/shared/config';
import type { MonitorConfigInput } from '../lambdas/monitor/config';
import type { WatcherConfigInput } from '../lambdas/watcher/config';

const CLUSTER = { clusterName: 'prod', clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod' };

const GATE_CONFIG: GateConfigInput = {
  ...CLUSTER,
  nodeGroups: [
    {
      name: 'x86',
      asgName: 'prod-x86',
      launchHookName: 'ecs-ami-rollout-launch-gate',
      terminateHookName: 'ecs-ami-rollout-drain-gate',
      launchHeartbeatSeconds: 900,
      terminateHeartbeatSeconds: 3600,
    },
  ],
};

const WATCHER_CONFIG: WatcherConfigInput = {
  ...CLUSTER,
  nodeGroups: [
    {
      name: 'x86',
      asgName: 'prod-x86',
      mode: 'auto',
      sourceParameterName: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
      approvedParameterName: '/ecs-ami-rollout/prod/x86/approved-ami',
      previousParameterName: '/ecs-ami-rollout/prod/x86/previous-ami',
      stateParameterName: '/ecs-ami-rollout/prod/x86/watcher-state',
      refreshPreferences: { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmupSeconds: 300 },
    },
  ],
  policy: { minAmiAgeHours: 24, maintenanceWindows: [] },
  pauseParameterName: '/ecs-ami-rollout/prod/paused',
  denyListParameterName: '/ecs-ami-rollout/prod/denied-amis',
};

const MONITOR_CONFIG: MonitorConfigInput = {
  ...CLUSTER,
  nodeGroups: [{ name: 'x86', asgName: 'prod-x86', approvedAmiParameter: '/ecs-ami-rollout/prod/x86/approved-ami' }],
  stateParameterName: '/ecs-ami-rollout/prod/agent-monitor-state',
};

/** Variables to add to a child process's environment so any product bundle can be required. */
export const COLD_START_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'eu-west-1',
  NOTIFY_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:ecs-ami-rollout',
  GATE_CONFIG: JSON.stringify(GATE_CONFIG),
  WATCHER_CONFIG: JSON.stringify(WATCHER_CONFIG),
  MONITOR_CONFIG: JSON.stringify(MONITOR_CONFIG),
};
