/**
 * Preferences for the refresh `promote` starts: rendered by the one definition (lib/refresh/refresh-preferences.ts), so
 * scale-in protected and Standby instances are replaced (never AWS's default "Wait", which fails the refresh after an
 * hour on a fleet whose every instance is protected), skip matching and auto rollback are off. The tunable settings
 * come from the group's last refresh (started by the watcher or Terraform with the node group's settings), else from
 * the module's defaults.
 */
import type { InstanceRefresh, RefreshPreferences } from '@aws-sdk/client-auto-scaling';
import { DEFAULTS } from '../../lib/defaults';
import { startRefreshPreferences, type RefreshSettings } from '../../lib/refresh/refresh-preferences';

export function refreshSettingsFrom(last: InstanceRefresh | undefined): RefreshSettings {
  const previous = last?.Preferences ?? {};
  const checkpoints = previous.CheckpointPercentages ?? [];
  return {
    minHealthyPercentage: previous.MinHealthyPercentage ?? DEFAULTS.nodeGroup.minHealthyPercentage,
    maxHealthyPercentage: previous.MaxHealthyPercentage ?? DEFAULTS.nodeGroup.maxHealthyPercentage,
    instanceWarmupSeconds: previous.InstanceWarmup ?? DEFAULTS.nodeGroup.instanceWarmupSeconds,
    checkpointPercentages: checkpoints,
    checkpointDelaySeconds:
      checkpoints.length > 0 ? (previous.CheckpointDelay ?? DEFAULTS.nodeGroup.checkpointDelaySeconds) : undefined,
    alarmNames: previous.AlarmSpecification?.Alarms ?? [],
    // AWS refuses auto rollback for launch templates that resolve the AMI from SSM (auto mode); the watcher rolls back.
    autoRollback: false,
  };
}

export function refreshPreferencesFrom(last: InstanceRefresh | undefined): RefreshPreferences {
  const request = startRefreshPreferences(refreshSettingsFrom(last));
  return {
    ...request,
    ...(request.AlarmSpecification ? { AlarmSpecification: { Alarms: [...request.AlarmSpecification.Alarms] } } : {}),
  };
}
