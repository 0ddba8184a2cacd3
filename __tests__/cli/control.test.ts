/** `pause`, `resume`, `promote`: confirmation, --yes, refusals, and exactly which AWS writes happen. */
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  StartInstanceRefreshCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeLaunchTemplateVersionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { EXIT } from '../../cli/exit-codes';
import { runCaptured } from './support/run-cli';

const ecs = mockClient(ECSClient);
const asg = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const ssm = mockClient(SSMClient);
const AMI = 'ami-0123456789abcdef0';
const clients = () => ({
  ecs: new ECSClient({}),
  autoScaling: new AutoScalingClient({}),
  ec2: new EC2Client({}),
  ssm: new SSMClient({}),
});
const tags = (ng: string) => [
  { Key: 'ecs-ami-rollout:cluster', Value: 'web' },
  { Key: 'ecs-ami-rollout:node-group', Value: ng },
];

beforeEach(() => {
  [ecs, asg, ec2, ssm].forEach((m) => m.reset());
  // GIVEN cluster web with one auto-mode node group whose last refresh used checkpoints
  ecs.on(DescribeClustersCommand).resolves({ clusters: [{ clusterName: 'web', status: 'ACTIVE' }] });
  asg.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: [
      {
        AutoScalingGroupName: 'web-x86',
        DesiredCapacity: 4,
        LaunchTemplate: { LaunchTemplateId: 'lt-1', Version: '3' },
        Tags: tags('x86'),
      } as never,
    ],
  });
  ec2.on(DescribeLaunchTemplateVersionsCommand).resolves({
    LaunchTemplateVersions: [{ LaunchTemplateData: { ImageId: 'resolve:ssm:/ecs-ami-rollout/web/x86/approved-ami' } }],
  });
  asg.on(DescribeInstanceRefreshesCommand).resolves({
    InstanceRefreshes: [
      {
        InstanceRefreshId: 'old',
        Status: 'Successful',
        Preferences: {
          MinHealthyPercentage: 90,
          MaxHealthyPercentage: 150,
          CheckpointPercentages: [50, 100],
          CheckpointDelay: 600,
        },
      },
    ],
  });
  ssm
    .on(GetParameterCommand, { Name: '/ecs-ami-rollout/web/x86/approved-ami' })
    .resolves({ Parameter: { Value: 'ami-0aaaaaaaaaaaaaaa1' } });
  ssm.on(PutParameterCommand).resolves({ Version: 2 });
  asg.on(StartInstanceRefreshCommand).resolves({ InstanceRefreshId: 'r-new' });
});

describe('pause / resume', () => {
  test.each([
    ['pause', 'true'],
    ['resume', 'false'],
  ])('%s --yes writes the pause switch = "%s" without asking', async (command, value) => {
    // WHEN
    const run = await runCaptured([command, '--cluster', 'web', '--yes'], { clients: clients() });
    // THEN
    expect(run.code).toBe(EXIT.OK);
    expect(ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input)).toEqual([
      { Name: '/ecs-ami-rollout/web/paused', Value: value, Type: 'String', Overwrite: true },
    ]);
  });

  test('asks in a terminal; "no" changes nothing (exit 6)', async () => {
    // GIVEN an operator who answers no
    const confirm = jest.fn(async () => false);
    // WHEN
    const run = await runCaptured(['pause', '--cluster', 'web'], { clients: clients(), interactive: true, confirm });
    // THEN
    expect(confirm).toHaveBeenCalledWith(
      expect.stringMatching(/pause the AMI rollout of cluster web \(set \/ecs-ami-rollout\/web\/paused = "true"\)\?/),
    );
    expect(run.code).toBe(EXIT.REFUSED);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  test('refuses without a terminal and without --yes', async () => {
    // WHEN run from a script without --yes
    const run = await runCaptured(['resume', '--cluster', 'web'], { clients: clients(), interactive: false });
    // THEN
    expect(run.code).toBe(EXIT.REFUSED);
    expect(run.stderr).toMatch(/no terminal to ask\. Re-run with --yes/);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });
});

describe('promote', () => {
  test('keeps the old AMI as previous-ami, approves the new one, refreshes with the last preferences', async () => {
    // WHEN the operator confirms
    const run = await runCaptured(['promote', AMI, '--cluster', 'web', '--node-group', 'x86'], {
      clients: clients(),
      interactive: true,
      confirm: async () => true,
    });
    // THEN
    expect(run.code).toBe(EXIT.OK);
    expect(ssm.commandCalls(PutParameterCommand).map((c) => [c.args[0].input.Name, c.args[0].input.Value])).toEqual([
      ['/ecs-ami-rollout/web/x86/previous-ami', 'ami-0aaaaaaaaaaaaaaa1'],
      ['/ecs-ami-rollout/web/x86/approved-ami', AMI],
    ]);
    expect(asg.commandCalls(StartInstanceRefreshCommand)[0].args[0].input).toEqual({
      AutoScalingGroupName: 'web-x86',
      Strategy: 'Rolling',
      Preferences: expect.objectContaining({
        MinHealthyPercentage: 90,
        MaxHealthyPercentage: 150,
        CheckpointPercentages: [50, 100],
        CheckpointDelay: 600,
        SkipMatching: false,
        AutoRollback: false,
        ScaleInProtectedInstances: 'Refresh',
      }),
    });
    expect(run.stdout).toMatch(/instance refresh r-new started on web-x86 \(min 90 % \/ max 150 %\)/);
  });

  test('defaults to min 100 / max 200 when the ASG never had a refresh', async () => {
    // GIVEN no refresh history
    asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
    // WHEN
    await runCaptured(['promote', AMI, '-c', 'web', '--yes'], { clients: clients() });
    // THEN
    expect(asg.commandCalls(StartInstanceRefreshCommand)[0].args[0].input.Preferences).toMatchObject({
      MinHealthyPercentage: 100,
      MaxHealthyPercentage: 200,
      SkipMatching: false,
    });
  });

  test('refuses while a refresh is in progress (exit 6), writing nothing', async () => {
    // GIVEN a refresh at 30 %
    asg
      .on(DescribeInstanceRefreshesCommand)
      .resolves({ InstanceRefreshes: [{ InstanceRefreshId: 'busy', Status: 'InProgress', PercentageComplete: 30 }] });
    // WHEN
    const run = await runCaptured(['promote', AMI, '-c', 'web', '-n', 'x86', '--yes'], { clients: clients() });
    // THEN
    expect(run.code).toBe(EXIT.REFUSED);
    expect(run.stderr).toMatch(/instance refresh busy on web-x86 is InProgress \(30 %\)/);
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
    expect(asg.commandCalls(StartInstanceRefreshCommand)).toHaveLength(0);
  });

  test('refuses gitops node groups and unknown node groups', async () => {
    // GIVEN a launch template with a concrete AMI (gitops)
    ec2
      .on(DescribeLaunchTemplateVersionsCommand)
      .resolves({ LaunchTemplateVersions: [{ LaunchTemplateData: { ImageId: 'ami-0aaaaaaaaaaaaaaa1' } }] });
    // WHEN / THEN
    const gitops = await runCaptured(['promote', AMI, '-c', 'web', '--yes'], { clients: clients() });
    expect(gitops.code).toBe(EXIT.REFUSED);
    expect(gitops.stderr).toMatch(/not in amiMode "auto"/);
    const unknown = await runCaptured(['promote', AMI, '-c', 'web', '-n', 'gpu', '--yes'], { clients: clients() });
    expect(unknown.code).toBe(EXIT.NO_MODULE_RESOURCES);
    expect(unknown.stderr).toMatch(/node group "gpu" not found in cluster web \(it has: x86\)/);
  });

  test('rejects something that is not an AMI id as a usage error', async () => {
    const run = await runCaptured(['promote', 'latest', '-c', 'web', '--yes'], { clients: clients() });
    expect(run.code).toBe(EXIT.USAGE);
    expect(run.stderr).toMatch(/"latest" is not an AMI id/);
  });
});
