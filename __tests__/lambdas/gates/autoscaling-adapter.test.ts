import {
  AutoScalingClient,
  AutoScalingServiceException,
  CompleteLifecycleActionCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeWarmPoolCommand,
  DescribeAutoScalingInstancesCommand,
  RecordLifecycleActionHeartbeatCommand,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import {
  completeLifecycleAction,
  describeAsgInstances,
  listWaitingInstances,
  recordLifecycleHeartbeat,
} from '../../../lambdas/gates/adapters/autoscaling';
import { RetryLaterError } from '../../../lambdas/shared/aws-errors';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `i-${String(i).padStart(8, '0')}`);
const noActive = new AutoScalingServiceException({
  name: 'ValidationError',
  $fault: 'client',
  $metadata: { httpStatusCode: 400 },
  message: 'No active Lifecycle Action found with instance ID i-1',
});

describe('autoscaling adapter', () => {
  const client = new AutoScalingClient({ region: 'us-west-2' });
  const mock = mockClient(client);
  beforeEach(() => mock.reset());

  it('describes instances in batches of at most 50 ids', async () => {
    // GIVEN 120 instance ids
    mock.on(DescribeAutoScalingInstancesCommand).callsFake((input) => ({
      AutoScalingInstances: input.InstanceIds.map((id: string) => ({
        InstanceId: id,
        AutoScalingGroupName: 'asg',
        LifecycleState: 'Pending:Wait',
      })),
    }));
    // WHEN their lifecycle states are read
    const states = await describeAsgInstances(client, ids(120));
    // THEN 3 calls of 50, 50 and 20 ids are made and every state is returned
    const sizes = mock
      .commandCalls(DescribeAutoScalingInstancesCommand)
      .map((call) => call.args[0].input.InstanceIds?.length);
    expect(sizes).toEqual([50, 50, 20]);
    expect(states.size).toBe(120);
  });

  it('sweeps ASGs in batches of 100 names and follows NextToken', async () => {
    // GIVEN 150 ASGs, the first page of the first batch continued with a NextToken
    mock.on(DescribeAutoScalingGroupsCommand).callsFake((input) => {
      const names: string[] = input.AutoScalingGroupNames;
      const firstPage = names.length === 100 && !input.NextToken;
      return {
        AutoScalingGroups: (firstPage ? names.slice(0, 50) : names.length === 100 ? names.slice(50) : names).map(
          (name) => ({
            AutoScalingGroupName: name,
            Instances: [
              { InstanceId: `i-${name}`, LifecycleState: 'Terminating:Wait' },
              { InstanceId: `i-${name}-ok`, LifecycleState: 'InService' },
            ],
          }),
        ),
        NextToken: firstPage ? 'page-2' : undefined,
      };
    });
    // WHEN the sweep lists Terminating:Wait instances
    const { instances: waiting, warmPoolGroups } = await listWaitingInstances(
      client,
      ids(150),
      new Set(['Terminating:Wait']),
    );
    // THEN 3 calls (100 names, same 100 names page 2, 50 names) find the 150 waiting instances only
    const calls = mock
      .commandCalls(DescribeAutoScalingGroupsCommand)
      .map((call) => [call.args[0].input.AutoScalingGroupNames?.length, call.args[0].input.NextToken]);
    expect(calls).toEqual([
      [100, undefined],
      [100, 'page-2'],
      [50, undefined],
    ]);
    expect(waiting).toHaveLength(150);
    expect(waiting.every((instance) => instance.lifecycleState === 'Terminating:Wait')).toBe(true);
    expect(warmPoolGroups).toEqual([]);
  });

  it('lists the Warmed:Pending:Wait instances of a group that has a warm pool (and only of that group)', async () => {
    // GIVEN one group with a warm pool (DescribeAutoScalingGroups reports WarmPoolConfiguration) and one without
    mock.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        {
          AutoScalingGroupName: 'pooled',
          WarmPoolConfiguration: { PoolState: 'Stopped' },
          Instances: [{ InstanceId: 'i-member', LifecycleState: 'Terminating:Wait' }],
        },
        { AutoScalingGroupName: 'plain', Instances: [] },
      ] as never,
    });
    mock.on(DescribeWarmPoolCommand).resolves({
      Instances: [
        { InstanceId: 'i-returning', LifecycleState: 'Warmed:Pending:Wait' },
        { InstanceId: 'i-parked', LifecycleState: 'Warmed:Stopped' },
      ] as never,
    });
    // WHEN the drain sweep lists its wait states
    const listed = await listWaitingInstances(
      client,
      ['pooled', 'plain'],
      new Set(['Terminating:Wait', 'Warmed:Pending:Wait']),
    );
    // THEN the member and the instance going back to the pool are found; the pool is reported
    expect(listed.instances.map((i) => i.instanceId).sort()).toEqual(['i-member', 'i-returning']);
    expect(listed.warmPoolGroups).toEqual(['pooled']);
    expect(mock.commandCalls(DescribeWarmPoolCommand).map((c) => c.args[0].input.AutoScalingGroupName)).toEqual([
      'pooled',
    ]);
  });

  it('completes by token when the event gave one, else by instance id', async () => {
    mock.on(CompleteLifecycleActionCommand).resolves({});
    await completeLifecycleAction(
      client,
      { asgName: 'asg', hookName: 'h', instanceId: 'i-1', token: 'tok' },
      'CONTINUE',
    );
    await completeLifecycleAction(client, { asgName: 'asg', hookName: 'h', instanceId: 'i-1' }, 'ABANDON');
    const inputs = mock.commandCalls(CompleteLifecycleActionCommand).map((call) => call.args[0].input);
    expect(inputs[0]).toEqual({
      AutoScalingGroupName: 'asg',
      LifecycleHookName: 'h',
      LifecycleActionToken: 'tok',
      LifecycleActionResult: 'CONTINUE',
    });
    expect(inputs[1]).toEqual({
      AutoScalingGroupName: 'asg',
      LifecycleHookName: 'h',
      InstanceId: 'i-1',
      LifecycleActionResult: 'ABANDON',
    });
  });

  it('treats "No active Lifecycle Action found" as already complete for completion and heartbeat', async () => {
    // GIVEN the action was completed elsewhere
    mock.on(CompleteLifecycleActionCommand).rejects(noActive);
    mock.on(RecordLifecycleActionHeartbeatCommand).rejects(noActive);
    const ref = { asgName: 'asg', hookName: 'h', instanceId: 'i-1' };
    // THEN both writes report "already-complete" instead of failing
    await expect(completeLifecycleAction(client, ref, 'CONTINUE')).resolves.toBe('already-complete');
    await expect(recordLifecycleHeartbeat(client, ref)).resolves.toBe('already-complete');
  });

  it('surfaces throttling as RetryLaterError, not as a result', async () => {
    mock.on(CompleteLifecycleActionCommand).rejects(
      new AutoScalingServiceException({
        name: 'Throttling',
        $fault: 'client',
        $metadata: {},
        message: 'Rate exceeded',
      }),
    );
    await expect(
      completeLifecycleAction(client, { asgName: 'a', hookName: 'h', instanceId: 'i-1' }, 'CONTINUE'),
    ).rejects.toThrow(RetryLaterError);
  });
});
