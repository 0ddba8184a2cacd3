/**
 * `status` against aws-sdk-client-mock fixtures of a cluster mid-refresh (see support/mid-refresh-fixture.ts): two
 * node groups, a refresh at 40 %, one instance in Pending:Wait not registered yet, one in Terminating:Wait with three
 * tasks and an unstable service, one disconnected agent. ECS_AMI_ROLLOUT_CLI_SAMPLES_DIR keeps the text output
 * (docs/cli.md quotes it).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { DescribeClustersCommand, ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import * as ecsModule from '@aws-sdk/client-ecs';
import * as asgModule from '@aws-sdk/client-auto-scaling';
import * as ec2Module from '@aws-sdk/client-ec2';
import * as ssmModule from '@aws-sdk/client-ssm';
import { EXIT } from '../../cli/exit-codes';
import { AMI_NEW, AMI_OLD, NOW, midRefreshResponses } from './support/mid-refresh-fixture';
import { runCaptured } from './support/run-cli';

const modules: Record<string, Record<string, unknown>> = {
  ecs: ecsModule,
  asg: asgModule,
  ec2: ec2Module,
  ssm: ssmModule,
};
const mocks = {
  ecs: mockClient(ECSClient),
  asg: mockClient(AutoScalingClient),
  ec2: mockClient(EC2Client),
  ssm: mockClient(SSMClient),
};

/**
 * Registers every canned response on the mock of the client that owns the command (first match wins, as in the
 * fixture).
 */
function loadFixture(): void {
  Object.values(mocks).forEach((m) => m.reset());
  for (const response of [...midRefreshResponses()].reverse()) {
    const owner = (Object.keys(modules) as (keyof typeof mocks)[]).find((key) => response.command in modules[key]);
    const command = modules[owner!][response.command] as never;
    const mock = mocks[owner!] as unknown as {
      on(command: never, input: never): { resolves(o: never): void; rejects(e: Error): void };
    };
    const behaviour = mock.on(command, response.input as never);
    if (response.error)
      behaviour.rejects(Object.assign(new Error(response.error.message), { name: response.error.name }));
    else behaviour.resolves(response.output as never);
  }
}

const clients = () => ({
  ecs: new ECSClient({ region: 'eu-west-1' }),
  autoScaling: new AutoScalingClient({ region: 'eu-west-1' }),
  ec2: new EC2Client({ region: 'eu-west-1' }),
  ssm: new SSMClient({ region: 'eu-west-1' }),
  now: () => new Date(NOW),
  region: 'eu-west-1',
});

beforeEach(loadFixture);

describe('status (text)', () => {
  test('shows refresh progress, AMIs, why each gated instance waits and the disconnected agent', async () => {
    // GIVEN the mid-refresh cluster WHEN status runs without a terminal (plain text, no colours)
    const run = await runCaptured(['status', '--cluster', 'web'], { clients: clients() });

    // THEN it exits 0 and prints one block per node group with the key facts
    if (process.env.ECS_AMI_ROLLOUT_CLI_SAMPLES_DIR)
      fs.writeFileSync(path.join(process.env.ECS_AMI_ROLLOUT_CLI_SAMPLES_DIR, 'status.txt'), run.stdout);
    expect(run.code).toBe(EXIT.OK);
    expect(run.stderr).toBe('');
    const out = run.stdout;
    expect(out).toMatch(/^Cluster web \(eu-west-1\) · 2025-03-01T12:00:00Z · rollout not paused$/m);
    expect(out).toMatch(/^x86 {2}ASG web-x86 · AMI mode gitops · desired 4$/m);
    expect(out).toContain(
      'Refresh    InProgress [########------------] 40%  3 instance(s) to update, started 22m 00s ago',
    );
    expect(out).toContain(`Approved   ${AMI_NEW} (launch template lt-0x86 version 7)`);
    expect(out).toContain(`Newest     ${AMI_NEW} = approved`);
    expect(out).toContain(`Instances  5 in ASG: 3 on approved, 2 on older AMIs (${AMI_OLD} ×2)`);
    // the gates' own decision functions explain the waits
    expect(out).toContain(
      'i-0new3  Pending:Wait for 2m 10s  launch gate: WAIT — not registered in the cluster yet (130 s of 600 s)',
    );
    expect(out).toContain(
      'i-0old2  Terminating:Wait for 5m 40s  drain gate: WAIT — waiting: 3 service ' +
        'task(s) still running; service web not stable (running 2/3) (340 s; report after 3600 s)',
    );
    expect(out).toMatch(/^arm64 {2}ASG web-arm64 · AMI mode auto · desired 2$/m);
    expect(out).toContain('Refresh    Successful [####################] 100%');
    expect(out).toContain('Newest     ami-0ddddddddddddddd4 (newer than approved)');
    expect(out).toContain(
      'Disconnected agents (1)\n  i-0old1  node group x86  container instance ACTIVE, ECS agent not connected',
    );
    expect(out).not.toContain('\x1b['); // no ANSI colours off a TTY / with NO_COLOR
  });
});

describe('status --json', () => {
  test('prints one JSON object with the same facts for scripts', async () => {
    // GIVEN the mid-refresh cluster WHEN status --json runs
    const run = await runCaptured(['status', '--cluster', 'web', '--json'], { clients: clients() });

    // THEN stdout is exactly one JSON document
    expect(run.code).toBe(EXIT.OK);
    const snapshot = JSON.parse(run.stdout);
    expect(snapshot).toMatchObject({ cluster: 'web', region: 'eu-west-1', generatedAt: NOW, paused: false });
    const x86 = snapshot.nodeGroups.find((g: { name: string }) => g.name === 'x86');
    expect(x86).toMatchObject({
      asgName: 'web-x86',
      amiMode: 'gitops',
      approvedAmi: AMI_NEW,
      refresh: { status: 'InProgress', percentageComplete: 40, instancesToUpdate: 3 },
      amiCounts: [
        { imageId: AMI_NEW, count: 3, approved: true },
        { imageId: AMI_OLD, count: 2, approved: false },
      ],
    });
    expect(x86.waiting).toEqual([
      expect.objectContaining({
        instanceId: 'i-0new3',
        gate: 'launch',
        decision: 'WAIT',
        waitingSeconds: 130,
        reason: expect.stringMatching(/not registered/),
      }),
      expect.objectContaining({
        instanceId: 'i-0old2',
        gate: 'drain',
        decision: 'WAIT',
        waitingSeconds: 340,
        reason: expect.stringMatching(/3 service task\(s\) still running; service web not stable \(running 2\/3\)/),
      }),
    ]);
    expect(snapshot.disconnectedAgents).toEqual([
      { instanceId: 'i-0old1', nodeGroup: 'x86', containerInstanceStatus: 'ACTIVE' },
    ]);
  });
});

describe('status errors', () => {
  test('unknown cluster: exit 4 with a clear message', async () => {
    // GIVEN DescribeClusters reports the cluster MISSING
    mocks.ecs.on(DescribeClustersCommand).resolves({
      clusters: [],
      failures: [{ arn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/nope', reason: 'MISSING' }],
    });
    // WHEN status runs for it
    const run = await runCaptured(['status', '--cluster', 'nope'], { clients: clients() });
    // THEN
    expect(run.code).toBe(EXIT.CLUSTER_NOT_FOUND);
    expect(run.stderr).toMatch(/ECS cluster "nope" not found in this account\/region: MISSING/);
  });

  test('no tagged ASGs: exit 5 naming the tag', async () => {
    // GIVEN the cluster exists but no ASG carries the module's tags
    mocks.asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
    // WHEN / THEN
    const run = await runCaptured(['status', '--cluster', 'web'], { clients: clients() });
    expect(run.code).toBe(EXIT.NO_MODULE_RESOURCES);
    expect(run.stderr).toMatch(/no Auto Scaling group is tagged ecs-ami-rollout:cluster=web/);
  });

  test('missing credentials: exit 3 saying how to fix it', async () => {
    // GIVEN the SDK cannot find credentials
    mocks.ecs
      .on(DescribeClustersCommand)
      .rejects(
        Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      );
    // WHEN / THEN
    const run = await runCaptured(['status', '--cluster', 'web'], { clients: clients() });
    expect(run.code).toBe(EXIT.NO_CREDENTIALS);
    expect(run.stderr).toMatch(/AWS credentials are missing or invalid \(CredentialsProviderError/);
    expect(run.stderr).toMatch(/AWS_PROFILE/);
  });
});
