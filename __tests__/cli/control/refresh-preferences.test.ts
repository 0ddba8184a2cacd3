import { refreshPreferencesFrom } from '../../../cli/control/refresh-preferences';
import { startRefreshPreferences } from '../../../lib/refresh/refresh-preferences';

describe('promote: refresh preferences', () => {
  it('keeps the last refresh’s tunables but always replaces protected and Standby instances', () => {
    // GIVEN the group's last refresh was started by someone with AWS's defaults for protection and Standby
    const last = {
      Preferences: {
        MinHealthyPercentage: 90,
        MaxHealthyPercentage: 150,
        InstanceWarmup: 120,
        CheckpointPercentages: [50, 100],
        CheckpointDelay: 600,
        ScaleInProtectedInstances: 'Wait' as const,
        StandbyInstances: 'Wait' as const,
        AutoRollback: true,
        AlarmSpecification: { Alarms: ['prod-5xx'] },
      },
    };
    // THEN promote sends the one definition over those settings: Refresh/Terminate, no skip matching or auto rollback
    expect(refreshPreferencesFrom(last)).toEqual({
      MinHealthyPercentage: 90,
      MaxHealthyPercentage: 150,
      InstanceWarmup: 120,
      CheckpointPercentages: [50, 100],
      CheckpointDelay: 600,
      SkipMatching: false,
      AutoRollback: false,
      ScaleInProtectedInstances: 'Refresh',
      StandbyInstances: 'Terminate',
      AlarmSpecification: { Alarms: ['prod-5xx'] },
    });
  });

  it('uses the module defaults when the group never had a refresh, as the watcher and Terraform would', () => {
    expect(refreshPreferencesFrom(undefined)).toEqual(
      startRefreshPreferences({ minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmupSeconds: 60 }),
    );
  });
});
