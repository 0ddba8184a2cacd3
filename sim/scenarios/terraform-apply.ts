/**
 * Actors outside the watcher that start or cancel refreshes, calling the simulated Auto Scaling API as they would:
 *
 * - `terraformApply`: an apply that changes the launch template of an auto-mode node group (user data, instance type,
 *   tags …). hashicorp/aws (internal/service/autoscaling/group.go, read at commit 00a919d1548e) starts an instance
 *   refresh whenever the launch template changes (`instance_refresh` block; the launch template "always triggers an
 *   instance refresh"); `startInstanceRefresh` retries StartInstanceRefresh for up to 15 minutes and, on
 *   InstanceRefreshInProgressFault, calls `cancelInstanceRefresh` — CancelInstanceRefresh, then
 *   `waitInstanceRefreshCancelled` until Cancelled, Failed or Successful (`instanceRefreshCancelledTimeout` 15 min).
 *   The preferences are the node group's block (lib/refresh/refresh-preferences.ts), auto rollback off in auto mode.
 *   *Assumption*: the provider polls every 10 s (terraform-plugin-sdk's StateChangeConf backs off to at most 10 s).
 * - `operatorCancel`: `aws autoscaling cancel-instance-refresh`.
 */
import {
  CancelInstanceRefreshCommand,
  DescribeInstanceRefreshesCommand,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling';
import { startRefreshPreferences, type RefreshSettings } from '../../lib/refresh/refresh-preferences';
import type { World } from '../world';

/** hashicorp/aws group.go: instanceRefreshStartedTimeout = instanceRefreshCancelledTimeout = 15 minutes. */
export const PROVIDER_REFRESH_TIMEOUT_SECONDS = 15 * 60;
const POLL_SECONDS = 10;
const ENDED = new Set(['Cancelled', 'Failed', 'Successful']);

function errorName(error: unknown): string {
  return (error as { name?: string }).name ?? '';
}

async function waitCancelled(world: World, refreshId: string, deadline: number): Promise<void> {
  while (world.sim.now < deadline) {
    const page = await world.clients.autoScaling.send(
      new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: world.asg.name, InstanceRefreshIds: [refreshId] }),
    );
    if (ENDED.has(page.InstanceRefreshes?.[0]?.Status ?? 'Cancelled')) return;
    await world.sim.sleep(POLL_SECONDS);
  }
  throw new Error(`[sim] terraform: refresh ${refreshId} not cancelled within 15 minutes`);
}

/** Returns the id of the refresh Terraform started. */
export async function terraformApply(world: World, settings: RefreshSettings): Promise<string> {
  world.asg.launchTemplateVersion++;
  const deadline = world.sim.now + PROVIDER_REFRESH_TIMEOUT_SECONDS;
  const client = world.clients.autoScaling;
  for (;;) {
    try {
      const output = await client.send(
        new StartInstanceRefreshCommand({
          AutoScalingGroupName: world.asg.name,
          Strategy: 'Rolling',
          Preferences: { ...startRefreshPreferences({ ...settings, autoRollback: false }) },
        }),
      );
      return output.InstanceRefreshId as string;
    } catch (error) {
      if (errorName(error) !== 'InstanceRefreshInProgressFault' || world.sim.now >= deadline) throw error;
      try {
        const cancelled = await client.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: world.asg.name }));
        await waitCancelled(world, cancelled.InstanceRefreshId as string, deadline);
      } catch (cancelError) {
        if (errorName(cancelError) !== 'ActiveInstanceRefreshNotFoundFault') throw cancelError;
      }
    }
  }
}

export async function operatorCancel(world: World): Promise<void> {
  await world.clients.autoScaling.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: world.asg.name }));
}
