import { StartInstanceRefreshCommand, TerminateInstanceInAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling';
import { createAmiWatcherHandler } from '../../../lambdas/watcher/ami-watcher';
import { serializeGroupState } from '../../../lambdas/watcher/state';
import { fakeDeps, WatcherWorld } from './helpers/watcher-world';
import {
  AMI_CUR,
  AMI_NEW,
  APPROVED,
  ASG,
  DENY,
  GITOPS_ASG,
  GITOPS_STATE,
  PAUSE,
  STATE,
  decisionLines,
  hoursAfter,
  loadEvent,
  refreshEvent,
  watcherConfig,
} from './helpers/watcher-kit';

const REFRESH = 'c613620e-07e2-4ed2-a9e2-ef8258911ade';

/** GIVEN the watcher promoted AMI_NEW and started refresh REFRESH, which replaced 2 of 4 instances before failing. */
function promotedWorld(): WatcherWorld {
  const world = new WatcherWorld()
    .param(APPROVED, AMI_NEW, 'String', 'aws:ec2:image')
    .param('/ecs-ami-rollout/prod/general/previous-ami', AMI_CUR, 'String', 'aws:ec2:image')
    .param(
      STATE,
      serializeGroupState({
        v: 1,
        history: [AMI_CUR, AMI_NEW],
        notified: {},
        refresh: { id: REFRESH, amiId: AMI_NEW, previousAmiId: AMI_CUR, startedAt: '2025-03-05T09:00:00Z' },
      }),
    )
    .param(DENY, 'none', 'StringList')
    .fleet(ASG, AMI_NEW, 2, 'n')
    .fleet(ASG, AMI_CUR, 2, 'c')
    .refresh(ASG, REFRESH, 'Failed');
  world.groups.get(ASG)!.desired = 4;
  return world;
}

function setup(world = promotedWorld()) {
  const kit = fakeDeps(world, watcherConfig());
  return { world, ...kit, handler: createAmiWatcherHandler(kit.deps) };
}

const failed = () => refreshEvent('failed', { AutoScalingGroupName: ASG, InstanceRefreshId: REFRESH });

describe('AMI watcher: refresh failure → rollback (auto mode)', () => {
  it('restores the previous AMI, denies the failed one and terminates the first batch of its instances', async () => {
    const { handler, world, puts, asgMock, published } = setup();
    // WHEN the documented Failed event arrives for our refresh
    const result = await handler(failed());
    // THEN the deny list, the state record and the approved parameter are written, in that order
    expect(puts().map((p) => [p.Name, p.Value])).toEqual([
      [DENY, AMI_NEW],
      [STATE, expect.stringContaining(`"rollback":{"failedAmiId":"${AMI_NEW}","restoredAmiId":"${AMI_CUR}"`)],
      [APPROVED, AMI_CUR],
    ]);
    expect(puts().find((p) => p.Name === APPROVED)).toEqual({
      Name: APPROVED,
      Value: AMI_CUR,
      Type: 'String',
      DataType: 'aws:ec2:image',
      Overwrite: true,
    });
    expect(puts().find((p) => p.Name === DENY)).toMatchObject({ Type: 'StringList', Overwrite: true });
    // AND min healthy 90 % of 4 → one instance on the failed AMI is terminated, desired capacity kept
    expect(asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand).map((c) => c.args[0].input)).toEqual([
      { InstanceId: world.instances(ASG)[0].id, ShouldDecrementDesiredCapacity: false },
    ]);
    // AND no second instance refresh is started (SkipMatching cannot single out the bad instances)
    expect(asgMock.commandCalls(StartInstanceRefreshCommand)).toHaveLength(0);
    expect(result.outcomes).toEqual([expect.objectContaining({ nodeGroup: 'general', decision: 'ROLLBACK' })]);
    expect(published()).toEqual([
      expect.stringMatching(
        new RegExp(`\\[CRITICAL\\] prod/general: Instance refresh failed: rolling back ${AMI_NEW} → ${AMI_CUR}`),
      ),
    ]);
  });

  it('does not roll back twice under a duplicate Failed event', async () => {
    const { handler, puts, asgMock, published, logger } = setup();
    await handler(failed());
    const writesAfterFirst = puts().length;
    // WHEN the same event is delivered again
    const second = await handler(failed());
    // THEN the approved parameter no longer holds the failed AMI: nothing is written or terminated again
    expect(second.outcomes[0]).toMatchObject({
      decision: 'ALREADY_HANDLED',
      reason: expect.stringMatching(/already rolled back/),
    });
    expect(puts()).toHaveLength(writesAfterFirst);
    expect(asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand)).toHaveLength(1);
    expect(published()).toHaveLength(1);
    expect(decisionLines(logger)).toHaveLength(2);
  });

  it('replaces the next batch only after the previous one is gone, then reports the rollback complete', async () => {
    const { handler, world, asgMock, clock, published } = setup();
    const onFailedAmi = world
      .instances(ASG)
      .filter((i) => i.imageId === AMI_NEW)
      .map((i) => i.id);
    await handler(failed());
    const scheduled = loadEvent('eventbridge-scheduled-event.json');
    // WHEN the schedule runs while the first victim is still draining
    clock.now = hoursAfter(1);
    const waiting = await handler(scheduled);
    expect(waiting.outcomes[0].reason).toMatch(/rollback: WAIT .*Terminating:Wait/);
    expect(asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand)).toHaveLength(1);
    // WHEN the drain finished and its replacement (restored AMI) is InService, an ASG activity event arrives
    const group = world.groups.get(ASG)!;
    group.instances = group.instances.filter((i) => i.state !== 'Terminating:Wait');
    group.instances.push({ id: 'i-0r00000000000001', state: 'InService', imageId: AMI_CUR });
    const activity = {
      ...loadEvent('watcher/autoscaling-instance-launch-successful.json'),
      detail: { AutoScalingGroupName: ASG, EC2InstanceId: 'i-0r00000000000001' },
    };
    const next = await handler(activity);
    // THEN the second (last) instance on the failed AMI is terminated
    expect(next.outcomes[0]).toMatchObject({ decision: 'ROLLBACK_TERMINATE' });
    expect(
      asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand).map((c) => c.args[0].input.InstanceId),
    ).toEqual(onFailedAmi);
    expect(group.instances.filter((i) => i.imageId === AMI_NEW).map((i) => i.state)).toEqual(['Terminating:Wait']);
    // WHEN that one is gone too
    group.instances = group.instances.filter((i) => i.imageId !== AMI_NEW);
    const done = await handler(activity);
    // THEN the rollback is complete, notified once, and the state forgets it
    expect(done.outcomes[0]).toMatchObject({ decision: 'ROLLBACK_DONE' });
    expect(published()).toContainEqual(expect.stringMatching(`Rollback complete: no instance runs ${AMI_NEW}`));
    expect(JSON.parse(world.value(STATE)!).rollback).toBeUndefined();
  });

  it('does not terminate while the pause switch is on (the restore still happens)', async () => {
    // GIVEN the pause switch is on
    const world = promotedWorld().param(PAUSE, 'true');
    const { handler, asgMock } = setup(world);
    // WHEN the refresh fails, THEN the AMI is restored but no instance is terminated
    await handler(failed());
    expect(world.value(APPROVED)).toBe(AMI_CUR);
    expect(asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand)).toHaveLength(0);
  });

  it('waits for SSM to validate the restored AMI before terminating anything', async () => {
    // GIVEN SSM validates aws:ec2:image writes asynchronously and has not finished yet
    const world = promotedWorld();
    world.holdImageWrites = true;
    const { handler, asgMock, clock } = setup(world);
    const first = await handler(failed());
    // THEN no instance is terminated: a replacement could still launch from the failed AMI
    expect(first.outcomes[0].reason).toMatch(/waiting for SSM to validate/);
    expect(asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand)).toHaveLength(0);
    // WHEN validation finished and the schedule runs
    world.validate();
    clock.now = hoursAfter(1);
    await handler(loadEvent('eventbridge-scheduled-event.json'));
    // THEN the first batch is terminated
    expect(asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand)).toHaveLength(1);
  });

  it('rolls back from the schedule when the Failed event was lost', async () => {
    const { handler, world, asgMock } = setup();
    // WHEN only the scheduled sweep runs
    const result = await handler(loadEvent('eventbridge-scheduled-event.json'));
    // THEN DescribeInstanceRefreshes reveals the failure and the same rollback happens
    expect(world.value(APPROVED)).toBe(AMI_CUR);
    expect(world.value(DENY)).toBe(AMI_NEW);
    expect(asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand)).toHaveLength(1);
    expect(result.outcomes.find((o) => o.nodeGroup === 'general')?.reason).toMatch(/last refresh .* Failed: ROLLBACK/);
  });

  it('only notifies for a refresh someone else started', async () => {
    // GIVEN a refresh the watcher did not start fails
    const { handler, world, puts, asgMock, published } = setup();
    const result = await handler(
      refreshEvent('failed', { AutoScalingGroupName: ASG, InstanceRefreshId: 'terraform-refresh' }),
    );
    // THEN a warning only: the approved AMI, deny list and instances are untouched
    expect(result.outcomes[0]).toMatchObject({ decision: 'NOTIFY' });
    expect(world.value(APPROVED)).toBe(AMI_NEW);
    expect(puts().filter((p) => p.Name !== STATE)).toEqual([]);
    expect(asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand)).toHaveLength(0);
    expect(published()).toEqual([expect.stringMatching(/not started by the AMI watcher: no rollback/)]);
  });
});

describe('AMI watcher: refresh events (gitops mode and notifications)', () => {
  it('never rolls back in gitops mode', async () => {
    // GIVEN a gitops node group whose (Terraform-started) refresh fails
    const world = new WatcherWorld().fleet(GITOPS_ASG, AMI_NEW, 2);
    const { handler, puts, asgMock, published } = setup(world);
    const result = await handler(
      refreshEvent('failed', { AutoScalingGroupName: GITOPS_ASG, InstanceRefreshId: REFRESH }),
    );
    // THEN only a warning is sent and the only write is the notification fingerprint in the gitops state
    expect(result.outcomes[0]).toMatchObject({
      nodeGroup: 'gpu',
      decision: 'NOTIFY',
      reason: expect.stringMatching(/gitops/),
    });
    expect(puts().map((p) => p.Name)).toEqual([GITOPS_STATE]);
    expect(asgMock.commandCalls(TerminateInstanceInAutoScalingGroupCommand)).toHaveLength(0);
    expect(published()).toEqual([
      expect.stringMatching(/\[WARNING\] prod\/gpu: Instance refresh failed \(gitops: Auto Scaling rolls back\)/),
    ]);
  });

  it.each([
    ['started', /\[INFO\] prod\/general: Instance refresh started/],
    ['checkpoint-reached', /\[INFO\] prod\/general: Instance refresh reached its 50% checkpoint/],
    ['succeeded', /\[INFO\] prod\/general: Instance refresh succeeded/],
    ['rollback-started', /\[WARNING\] .*being rolled back by Auto Scaling/],
    ['rollback-succeeded', /\[WARNING\] .*was rolled back by Auto Scaling/],
    ['rollback-failed', /\[CRITICAL\] .*rollback of the instance refresh failed: manual action needed/],
  ])('the documented %s event notifies once, even when delivered twice', async (name, subject) => {
    // GIVEN the documented event for our ASG
    const { handler, published } = setup();
    const event = refreshEvent(name, { AutoScalingGroupName: ASG });
    // WHEN it is delivered twice, THEN one notification
    await handler(event);
    await handler(event);
    expect(published()).toEqual([expect.stringMatching(subject)]);
  });

  it('records the success of its own refresh so the sweep stops tracking it', async () => {
    // GIVEN the watcher's refresh succeeded
    const world = promotedWorld();
    world.groups.get(ASG)!.refreshes[0].status = 'Successful';
    const { handler } = setup(world);
    // WHEN the Succeeded event arrives, THEN the state marks it ended
    await handler(refreshEvent('succeeded', { AutoScalingGroupName: ASG, InstanceRefreshId: REFRESH }));
    expect(JSON.parse(world.value(STATE)!).refresh).toMatchObject({ id: REFRESH, outcome: 'Successful' });
  });
});
