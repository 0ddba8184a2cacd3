/**
 * Contract: hashicorp/aws (internal/service/autoscaling/group.go, read at commit 00a919d1548e) starts an instance
 * refresh when an apply changes the launch template; a refresh already running is cancelled first
 * (CancelInstanceRefresh, wait until Cancelled, start again, within 15 minutes). The provider's defaults for
 * preferences the block leaves out differ from ours (min 90, max 100, scale-in protected and standby "Ignore"), so the
 * block states every one.
 */
import { StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { resourcesOf, synthRollout } from '../../support/synth';
import { PROVIDER_REFRESH_TIMEOUT_SECONDS, terraformApply } from '../../../sim/scenarios/terraform-apply';
import { NEW_AMI } from '../../../sim/world';
import { advance, call, smallWorld } from './autoscaling-world';

const SETTINGS = { minHealthyPercentage: 100, maxHealthyPercentage: 200, instanceWarmupSeconds: 0 };

describe('Terraform (hashicorp/aws) and instance refreshes', () => {
  it('on a launch template change cancels the running refresh, waits for Cancelled, starts its own', async () => {
    const world = await smallWorld(3);
    world.ssm.publish('/p/approved', NEW_AMI, 'String', 'aws:ec2:image');
    await call(
      world,
      world.clients.autoScaling.send(
        new StartInstanceRefreshCommand({
          AutoScalingGroupName: 'prod-general',
          Preferences: { MinHealthyPercentage: 100, MaxHealthyPercentage: 200, ScaleInProtectedInstances: 'Refresh' },
        }),
      ),
    );
    const versionBefore = world.asg.launchTemplateVersion;
    let terraformRefresh: string | undefined;
    world.sim.spawn(async () => void (terraformRefresh = await terraformApply(world, SETTINGS)));
    await advance(world, PROVIDER_REFRESH_TIMEOUT_SECONDS, () => terraformRefresh !== undefined);
    expect(world.asg.launchTemplateVersion).toBe(versionBefore + 1);
    expect(world.asg.refreshes.map((r) => r.status)).toEqual(['Cancelled', 'InProgress']);
    expect(world.asg.refreshes[1].id).toBe(terraformRefresh);
    expect(world.asg.refreshes[1].prefs).toMatchObject({ scaleInProtectedInstances: 'Refresh', skipMatching: false });
  });

  it('synthesizes every refresh preference explicitly, so no provider default applies', () => {
    const { json } = synthRollout();
    const preferences = resourcesOf(json, 'aws_autoscaling_group')[0].instance_refresh.preferences;
    expect(preferences).toMatchObject({
      min_healthy_percentage: 100,
      max_healthy_percentage: 200,
      instance_warmup: '60',
      skip_matching: false,
      auto_rollback: false,
      scale_in_protected_instances: 'Refresh',
      standby_instances: 'Terminate',
    });
  });
});
