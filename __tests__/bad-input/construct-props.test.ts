/**
 * Bad-input matrix, construct props: a table-driven cross-cut over EcsAmiRollout, NodeGroup, AMI sources, gates, agent
 * monitor, notifications and NodejsFunction. Each row is rejected in the constructor (before synth, so before any
 * plan or apply) with the uniform "<prop>: <value> is invalid — <reason>. Fix: <fix>." message. The per-construct test
 * files check individual rules; this file checks the FORMAT uniformly and adds inputs they do not cover.
 */
import { AmiSource } from '../../lib/ami/ami-source';
import { NodejsFunction, NodejsFunctionProps } from '../../lib/function';
import { lambdaEntry } from '../../lib/lambda-entry';
import { newStack } from '../support/synth';
import { BadInput, expectUniformRejection, nodeGroup, rollout } from './support/matrix';

function fn(props: Partial<NodejsFunctionProps>, then?: (f: NodejsFunction) => void): () => void {
  return () => {
    const f = new NodejsFunction(newStack(), 'fn', { entry: lambdaEntry('gates/launch-gate'), ...props });
    then?.(f);
  };
}

const ROLLOUT: BadInput[] = [
  {
    name: 'no node groups',
    build: rollout({ nodeGroups: [] }),
    prop: 'EcsAmiRollout.nodeGroups',
    value: '[]',
    fixMentions: 'node group',
  },
  {
    name: 'two node groups with one name',
    build: rollout({ nodeGroups: [{ name: 'x86' }, { name: 'x86' }] }),
    prop: 'EcsAmiRollout.nodeGroups[].name',
    value: '"x86"',
  },
  {
    name: 'a capacity provider base on two node groups',
    build: rollout({
      nodeGroups: [
        { name: 'a', capacityProvider: { base: 1 } },
        { name: 'b', capacityProvider: { base: 2 } },
      ],
    }),
    prop: 'EcsAmiRollout.nodeGroups[].capacityProvider.base',
    value: '["a","b"]',
  },
  {
    name: 'an unknown drain owner',
    build: rollout({ drainOwner: 'both' as never }),
    prop: 'EcsAmiRollout.drainOwner',
    value: '"both"',
    fixMentions: '"lambda"',
  },
  {
    name: 'a cluster name with a space',
    build: rollout({ clusterName: 'prod web' }),
    prop: 'EcsCluster.clusterName',
    value: '"prod web"',
  },
  {
    name: 'Container Insights "on"',
    build: rollout({ containerInsights: 'on' as never }),
    prop: 'EcsCluster.containerInsights',
    value: '"on"',
  },
];

const AMI_SOURCES: BadInput[] = [
  {
    name: 'a pinned AMI id that is too short',
    build: () => AmiSource.pinned('ami-123'),
    prop: 'AmiSource.pinned(amiId)',
    value: '"ami-123"',
    fixMentions: 'ami-0123456789abcdef0',
  },
  {
    name: 'an SSM parameter "name" that is a URL',
    build: () => AmiSource.ssmParameter('https://example.com/ami'),
    prop: 'AmiSource.ssmParameter(parameterName)',
    value: '"https://example.com/ami"',
  },
  {
    name: 'the GPU AMI on arm64',
    build: nodeGroup({ architecture: 'arm64', amiSource: AmiSource.ecsOptimized({ variant: 'gpu' }) }),
    prop: 'AmiSource.ecsOptimized({ variant })',
    value: '"gpu on arm64"',
    fixMentions: 'architecture',
  },
];

const GATES_AND_MONITOR: BadInput[] = [
  {
    name: 'a 30-second join deadline',
    build: rollout({ gates: { joinDeadlineSeconds: 30 } }),
    prop: 'LifecycleGates.joinDeadlineSeconds',
    value: '30',
  },
  {
    name: 'a negative standalone-task grace',
    build: rollout({ gates: { standaloneTaskGraceSeconds: -1 } }),
    prop: 'LifecycleGates.standaloneTaskGraceSeconds',
    value: '-1',
  },
  {
    name: 'a drain longer than the terminate hook can wait',
    build: rollout({
      gates: { maxDrainSeconds: 3600 },
      nodeGroups: [{ name: 'x86', terminateHook: { heartbeatTimeoutSeconds: 30 } }],
    }),
    prop: 'LifecycleGates.maxDrainSeconds',
    value: '3600',
    fixMentions: 'heartbeatTimeoutSeconds',
  },
  {
    name: 'a sweep schedule in words',
    build: rollout({ gates: { sweepSchedule: 'every minute' } }),
    prop: 'LifecycleGates.sweepSchedule',
    value: '"every minute"',
  },
  {
    name: 'a plural unit for 1',
    build: rollout({ gates: { sweepSchedule: 'rate(1 minutes)' } }),
    prop: 'LifecycleGates.sweepSchedule',
    value: '"rate(1 minutes)"',
    fixMentions: 'rate(1 minute)',
  },
  {
    name: 'a sweep too slow for the heartbeat',
    build: rollout({
      gates: { sweepSchedule: 'rate(5 minutes)' },
      nodeGroups: [{ name: 'x86', launchHook: { heartbeatTimeoutSeconds: 300 } }],
    }),
    prop: 'LifecycleGates.sweepSchedule',
    value: '"rate(5 minutes)"',
    fixMentions: 'heartbeat',
  },
  {
    name: 'zero agent updates per run',
    build: rollout({ agentMonitor: { maxAgentUpdatesPerRun: 0 } }),
    prop: 'AgentMonitor.maxAgentUpdatesPerRun',
    value: '0',
  },
  {
    name: 'a monitor schedule of rate(0 minutes)',
    build: rollout({ agentMonitor: { schedule: 'rate(0 minutes)' } }),
    prop: 'AgentMonitor.schedule',
    value: '"rate(0 minutes)"',
  },
  {
    name: 'a gate log retention CloudWatch does not offer',
    build: rollout({ gates: { logRetentionDays: 10 } }),
    prop: 'NodejsFunction.logRetentionDays',
    value: '10',
    fixMentions: 'nearest',
  },
  // Security-relevant: the webhook URL itself (a secret) where its SSM parameter NAME belongs never reaches an env var.
  {
    name: 'a webhook URL instead of its parameter name',
    build: rollout({ notifications: { webhookParameterName: 'https://hooks.slack.com/services/T0/B0/XYZ' } }),
    prop: 'Notifications.webhookParameterName',
    value: '"https://hooks.slack.com/services/T0/B0/XYZ"',
    fixMentions: 'SecureString',
  },
];

const WATCHER: BadInput[] = [
  {
    name: 'a minimum AMI age above 30 days',
    build: rollout({ amiWatcher: { minAmiAgeHours: 1000 } }),
    prop: 'AmiWatcher.minAmiAgeHours',
    value: '1000',
  },
  {
    name: 'a maintenance window that crosses midnight',
    build: rollout({ amiWatcher: { maintenanceWindows: [{ days: ['Sat'], startHour: 22, endHour: 4 }] } }),
    prop: 'AmiWatcher.maintenanceWindows[0]',
    value: '{"days":["Sat"],"startHour":22,"endHour":4}',
    fixMentions: 'split',
  },
  {
    name: 'a maintenance window hour 24 start',
    build: rollout({ amiWatcher: { maintenanceWindows: [{ days: ['Tue'], startHour: 24, endHour: 24 }] } }),
    prop: 'AmiWatcher.maintenanceWindows[0].startHour',
    value: '24',
  },
  {
    name: 'a watcher schedule with an unknown unit',
    build: rollout({ amiWatcher: { schedule: 'rate(1 week)' } }),
    prop: 'AmiWatcher.schedule',
    value: '"rate(1 week)"',
  },
];

const FUNCTION: BadInput[] = [
  {
    name: 'a 20-minute timeout',
    build: fn({ timeoutSeconds: 1200 }),
    prop: 'NodejsFunction.timeoutSeconds',
    value: '1200',
    fixMentions: '900',
  },
  { name: '64 MB of memory', build: fn({ memorySizeMb: 64 }), prop: 'NodejsFunction.memorySizeMb', value: '64' },
  {
    name: 'tracing "On"',
    build: fn({ tracingMode: 'On' as never }),
    prop: 'NodejsFunction.tracingMode',
    value: '"On"',
    fixMentions: 'Active',
  },
  {
    name: 'a secret-looking environment variable',
    build: fn({ environment: { DB_PASSWORD: 'hunter2' } }),
    prop: 'NodejsFunction.environment.DB_PASSWORD',
    value: '"DB_PASSWORD"',
    fixMentions: 'DB_PASSWORD_ARN',
  },
  {
    name: 'a runtime-reserved environment variable',
    build: fn({ environment: { AWS_REGION: 'eu-west-1' } }),
    prop: 'NodejsFunction.environment.AWS_REGION',
    value: '"AWS_REGION"',
  },
  {
    name: 'a KMS alias name instead of a key ARN',
    build: fn({ environmentKmsKeyArn: 'alias/lambda' }),
    prop: 'NodejsFunction.environmentKmsKeyArn',
    value: '"alias/lambda"',
    fixMentions: 'ARN',
  },
  {
    name: 'a function name with a space',
    build: fn({ functionName: 'launch gate' }),
    prop: 'NodejsFunction.functionName',
    value: '"launch gate"',
  },
  {
    name: 'a mutating action on "*" without a condition',
    build: fn({}, (f) => f.addToRolePolicy({ actions: ['ecs:StopTask'], resources: ['*'] })),
    prop: 'NodejsFunction.addToRolePolicy.resources',
    value: '{"actions":["ecs:StopTask"],"resources":["*"]}',
    fixMentions: 'condition',
  },
  {
    name: 'a trigger with both a pattern and a schedule',
    build: fn({}, (f) =>
      f.addEventBridgeTrigger('t', {
        description: 'x',
        eventPattern: { source: ['aws.ecs'] },
        scheduleExpression: 'rate(1 minute)',
      }),
    ),
    prop: 'NodejsFunction.addEventBridgeTrigger(t).eventPattern/scheduleExpression',
    value: '{"eventPattern":{"source":["aws.ecs"]},"scheduleExpression":"rate(1 minute)"}',
  },
];

describe.each([
  ['EcsAmiRollout / EcsCluster', ROLLOUT],
  ['AMI sources', AMI_SOURCES],
  ['gates, agent monitor, notifications', GATES_AND_MONITOR],
  ['AMI watcher', WATCHER],
  ['NodejsFunction', FUNCTION],
])('bad construct props: %s', (_group, rows) => {
  test.each(rows.map((row) => [row.name, row] as const))(
    'rejects %s, naming the setting, the value and the fix',
    (_name, row) => {
      // GIVEN one bad input WHEN the construct is built THEN it throws the uniform message (nothing is synthesized)
      expectUniformRejection(row);
    },
  );
});

test('the matrix covers at least 25 construct inputs besides the node group ones', () => {
  expect(
    ROLLOUT.length + AMI_SOURCES.length + GATES_AND_MONITOR.length + WATCHER.length + FUNCTION.length,
  ).toBeGreaterThanOrEqual(25);
});
