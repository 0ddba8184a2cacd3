/**
 * No forced stop by default (issue 13): the watcher refuses to start a refresh, and cancels one someone else started,
 * while a service of the cluster cannot be drained at all (desired 1, minimum healthy 100 %, maximum 150 %).
 */
import { CancelInstanceRefreshCommand, StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { createAmiWatcherHandler } from '../../../lambdas/watcher/watcher-handler';
import { fakeDeps, WatcherWorld } from './helpers/watcher-world';
import {
  AMI_CUR,
  AMI_NEW,
  ASG,
  SOURCE,
  STATE,
  hoursAfter,
  loadEvent,
  refreshEvent,
  watcherConfig,
} from './helpers/watcher-kit';

const stuckService = {
  serviceName: 'ledger',
  status: 'ACTIVE',
  schedulingStrategy: 'REPLICA',
  launchType: 'EC2',
  desiredCount: 1,
  deploymentController: { type: 'ECS' },
  deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 150 },
};
const healthyService = { ...stuckService, serviceName: 'web', desiredCount: 4, deploymentConfiguration: {} };

function setup(services: Array<Record<string, unknown> & { serviceName: string }>) {
  const world = WatcherWorld.auto()
    .param(SOURCE, AMI_NEW)
    .image(AMI_NEW, hoursAfter(-48))
    .image(AMI_CUR, hoursAfter(-500));
  world.services = services;
  const kit = fakeDeps(world, watcherConfig());
  const published = () => kit.published().filter((subject) => subject.includes('prod/general'));
  return { world, ...kit, published, handler: createAmiWatcherHandler(kit.deps) };
}

describe('AMI watcher: drain headroom before any instance is terminated', () => {
  it('refuses to start its refresh while a service has no headroom, naming it, its numbers and the fix', async () => {
    const { handler, asgMock, published, world } = setup([healthyService, stuckService]);
    // WHEN the schedule promotes AMI_NEW
    const result = await handler(loadEvent('eventbridge-scheduled-event.json'));
    // THEN no refresh starts, the promotion stays pending, and one critical notification explains why
    expect(asgMock.commandCalls(StartInstanceRefreshCommand)).toHaveLength(0);
    expect(JSON.parse(world.value(STATE)!).pending).toMatchObject({ amiId: AMI_NEW });
    expect(result.outcomes.find((o) => o.nodeGroup === 'general')?.reason).toMatch(
      /desired 1, minimumHealthyPercent 100, maximumPercent 150.*maximumPercent ≥ 200/,
    );
    expect(published().filter((p) => p.includes('no drain headroom: ledger'))).toEqual([
      expect.stringMatching(/^\[CRITICAL\] prod\/general: Rollout of ami-\w+: not started/),
    ]);
    // AND the next run neither starts it nor pages again
    await handler(loadEvent('eventbridge-scheduled-event.json'));
    expect(asgMock.commandCalls(StartInstanceRefreshCommand)).toHaveLength(0);
    expect(published().filter((p) => p.includes('no drain headroom'))).toHaveLength(1);
  });

  it('starts the refresh once every service has headroom', async () => {
    const { handler, asgMock } = setup([healthyService]);
    await handler(loadEvent('eventbridge-scheduled-event.json'));
    expect(asgMock.commandCalls(StartInstanceRefreshCommand)).toHaveLength(1);
  });

  it('cancels a refresh Terraform started before its first termination, when a service has no headroom', async () => {
    // GIVEN Terraform started a refresh of the group
    const { handler, world, asgMock, published } = setup([stuckService]);
    world.refresh(ASG, 'r-terraform', 'InProgress', hoursAfter(0));
    // WHEN its documented Started event arrives
    const result = await handler(
      refreshEvent('started', { AutoScalingGroupName: ASG, InstanceRefreshId: 'r-terraform' }),
    );
    // THEN the watcher cancels it and says why
    expect(result.outcomes[0]).toMatchObject({ decision: 'CANCELLED_NO_HEADROOM' });
    expect(asgMock.commandCalls(CancelInstanceRefreshCommand).map((c) => c.args[0].input)).toEqual([
      { AutoScalingGroupName: ASG },
    ]);
    expect(published()).toContainEqual(
      expect.stringMatching(
        /Instance refresh r-terraform \(not started by the AMI watcher\): cancelled before its first termination/,
      ),
    );
  });

  it('leaves a refresh someone else started alone when every service can be drained', async () => {
    const { handler, world, asgMock } = setup([healthyService]);
    world.refresh(ASG, 'r-terraform', 'InProgress', hoursAfter(0));
    await handler(refreshEvent('started', { AutoScalingGroupName: ASG, InstanceRefreshId: 'r-terraform' }));
    expect(asgMock.commandCalls(CancelInstanceRefreshCommand)).toHaveLength(0);
  });
});
