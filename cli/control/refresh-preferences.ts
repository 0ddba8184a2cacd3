/** Preferences for a refresh started by `promote`: those of the ASG's last refresh, else the module's defaults. */
import type { InstanceRefresh, RefreshPreferences } from '@aws-sdk/client-auto-scaling';
import { DEFAULTS } from '../../lib/defaults';

export function refreshPreferencesFrom(last: InstanceRefresh | undefined): RefreshPreferences {
  const previous = last?.Preferences ?? {};
  return {
    MinHealthyPercentage: previous.MinHealthyPercentage ?? DEFAULTS.nodeGroup.minHealthyPercentage,
    MaxHealthyPercentage: previous.MaxHealthyPercentage ?? DEFAULTS.nodeGroup.maxHealthyPercentage,
    InstanceWarmup: previous.InstanceWarmup ?? DEFAULTS.nodeGroup.instanceWarmupSeconds,
    ...(previous.CheckpointPercentages?.length
      ? { CheckpointPercentages: previous.CheckpointPercentages, CheckpointDelay: previous.CheckpointDelay }
      : {}),
    // Every instance, even one already on the AMI: the operator asked for a refresh.
    SkipMatching: false,
    // AWS refuses auto rollback for launch templates that resolve the AMI from SSM (auto mode); the watcher rolls back.
    AutoRollback: false,
    // The module protects instances from scale-in (managed termination protection): without "Refresh" the refresh
    // would skip every one of them.
    ScaleInProtectedInstances: previous.ScaleInProtectedInstances ?? 'Refresh',
    StandbyInstances: previous.StandbyInstances ?? 'Terminate',
    ...(previous.AlarmSpecification ? { AlarmSpecification: previous.AlarmSpecification } : {}),
  };
}
