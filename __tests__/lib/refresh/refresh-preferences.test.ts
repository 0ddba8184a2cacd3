/**
 * One definition of the instance refresh: for every node-group configuration of the matrix, the StartInstanceRefresh
 * request the AMI watcher sends (built from the WATCHER_CONFIG the construct synthesizes, through the watcher's own
 * adapter) equals, field by field, the node group's synthesized `instance_refresh` block.
 */
import { StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import type { NodeGroupOptions } from '../../../lib/node-group/node-group-props';
import {
  refreshDeadlineSeconds,
  rollbackRefreshPreferences,
  startRefreshPreferences,
  terraformRefreshPreferences,
} from '../../../lib/refresh/refresh-preferences';
import { startInstanceRefresh } from '../../../lambdas/watcher/adapters/autoscaling';
import { rolloutPreferences, validateWatcherConfig } from '../../../lambdas/watcher/config';
import { resourcesOf, synthRollout, type SynthJson } from '../../support/synth';

type Json = Record<string, unknown>;

/** A literal HCL object inside WATCHER_CONFIG's jsonencode(): `{"k" = 1, "l" = ["a"]}` → JSON. */
function hclObject(expression: string, key: string): Json {
  const start = expression.indexOf(`"${key}" = {`) + key.length + 5;
  let depth = 0;
  let end = start;
  for (; end < expression.length; end++) {
    if (expression[end] === '{') depth++;
    if (expression[end] === '}' && --depth === 0) break;
  }
  return JSON.parse(expression.slice(start, end + 1).replace(/" = /g, '": '));
}

/** The synthesized block, in the API's field names (the provider's nullable ints are strings). */
function blockAsRequest(block: Json): Json {
  const p = block.preferences as Json;
  const alarms = (p.alarm_specification as { alarms?: string[] } | undefined)?.alarms;
  return {
    MinHealthyPercentage: p.min_healthy_percentage,
    MaxHealthyPercentage: p.max_healthy_percentage,
    InstanceWarmup: Number(p.instance_warmup),
    ...(p.checkpoint_percentages !== undefined ? { CheckpointPercentages: p.checkpoint_percentages } : {}),
    ...(p.checkpoint_delay !== undefined ? { CheckpointDelay: Number(p.checkpoint_delay) } : {}),
    SkipMatching: p.skip_matching,
    AutoRollback: p.auto_rollback,
    ScaleInProtectedInstances: p.scale_in_protected_instances,
    StandbyInstances: p.standby_instances,
    ...(alarms ? { AlarmSpecification: { Alarms: alarms } } : {}),
  };
}

/** What the watcher sends for the (single) auto node group of a synthesized stack. */
async function watcherRequest(json: SynthJson, name: string): Promise<Json> {
  const fn = resourcesOf(json, 'aws_lambda_function').find((f) => f.environment.variables.WATCHER_CONFIG)!;
  const expression: string = fn.environment.variables.WATCHER_CONFIG;
  const group = validateWatcherConfig({
    clusterName: 'prod',
    clusterArn: 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod',
    nodeGroups: [
      {
        name,
        asgName: `prod-${name}`,
        mode: 'auto',
        sourceParameterName: '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id',
        approvedParameterName: `/ecs-ami-rollout/prod/${name}/approved-ami`,
        previousParameterName: `/ecs-ami-rollout/prod/${name}/previous-ami`,
        stateParameterName: `/ecs-ami-rollout/prod/${name}/watcher-state`,
        refreshPreferences: hclObject(expression, 'refreshPreferences'),
        hookTimeouts: hclObject(expression, 'hookTimeouts'),
      },
    ],
    pauseParameterName: '/ecs-ami-rollout/prod/paused',
    denyListParameterName: '/ecs-ami-rollout/prod/denied-amis',
  }).nodeGroups[0];
  const sent: Json[] = [];
  const client = {
    async send(command: StartInstanceRefreshCommand) {
      sent.push(command.input as unknown as Json);
      return { InstanceRefreshId: 'r-1' };
    },
  };
  await startInstanceRefresh(client, group.asgName, rolloutPreferences(group));
  return sent[0].Preferences as Json;
}

const MATRIX: [string, NodeGroupOptions][] = [
  ['defaults', { name: 'x86' }],
  ['checkpoints', { name: 'x86', instanceRefresh: { checkpointPercentages: [25, 100], checkpointDelaySeconds: 900 } }],
  ['min 90 / max 120', { name: 'x86', instanceRefresh: { minHealthyPercentage: 90, maxHealthyPercentage: 120 } }],
  ['warm-up 300 s', { name: 'x86', instanceRefresh: { instanceWarmupSeconds: 300 } }],
  ['alarms', { name: 'x86', instanceRefresh: { alarmNames: ['prod-5xx', 'prod-latency'] } }],
  [
    'everything at once',
    {
      name: 'x86',
      instanceRefresh: {
        minHealthyPercentage: 50,
        maxHealthyPercentage: 150,
        instanceWarmupSeconds: 0,
        checkpointPercentages: [10, 50, 100],
        checkpointDelaySeconds: 0,
        alarmNames: ['prod-5xx'],
      },
    },
  ],
  ['spot, arm64', { name: 'x86', architecture: 'arm64', mixedInstances: { onDemandPercentageAboveBaseCapacity: 0 } }],
  [
    'hooks and capacity provider',
    { name: 'x86', launchHook: { heartbeatTimeoutSeconds: 1200 }, capacityProvider: { base: 2 } },
  ],
];

describe('one definition of the instance refresh', () => {
  it.each(MATRIX)('the watcher’s request equals the synthesized block field by field (%s)', async (_name, group) => {
    // GIVEN the node group synthesized in auto mode
    const { json } = synthRollout({ nodeGroups: [group] });
    const block = resourcesOf(json, 'aws_autoscaling_group')[0].instance_refresh as Json;
    // WHEN the watcher starts its refresh from the synthesized WATCHER_CONFIG
    const request = await watcherRequest(json, group.name);
    // THEN every field is the same, and the ones that matter for a protected fleet are explicit
    expect(block.strategy).toBe('Rolling');
    expect(request).toEqual(blockAsRequest(block));
    expect(request).toMatchObject({ ScaleInProtectedInstances: 'Refresh', StandbyInstances: 'Terminate' });
  });
});

describe('refresh preferences (pure)', () => {
  const settings = { minHealthyPercentage: 90, maxHealthyPercentage: 120, instanceWarmupSeconds: 60 };

  it('renders the Terraform block and the API request from the same settings', () => {
    expect(terraformRefreshPreferences({ ...settings, alarmNames: ['a'] })).toEqual({
      minHealthyPercentage: 90,
      maxHealthyPercentage: 120,
      instanceWarmup: '60',
      skipMatching: false,
      autoRollback: false,
      scaleInProtectedInstances: 'Refresh',
      standbyInstances: 'Terminate',
      alarmSpecification: { alarms: ['a'] },
    });
    expect(startRefreshPreferences({ ...settings, checkpointPercentages: [] })).not.toHaveProperty('CheckpointDelay');
  });

  it('rolls back launching first, in one batch, without checkpoints or alarms', () => {
    expect(
      rollbackRefreshPreferences({ ...settings, checkpointPercentages: [50, 100], alarmNames: ['prod-5xx'] }),
    ).toEqual({
      MinHealthyPercentage: 100,
      MaxHealthyPercentage: 200,
      InstanceWarmup: 60,
      SkipMatching: false,
      AutoRollback: false,
      ScaleInProtectedInstances: 'Refresh',
      StandbyInstances: 'Terminate',
    });
  });

  it.each([
    // one batch (min 100 / max 200): launch hook + warm-up + terminate hook + slack
    [20, { minHealthyPercentage: 100, maxHealthyPercentage: 200 }, 900 + 60 + 3600 + 900],
    [100, { minHealthyPercentage: 100, maxHealthyPercentage: 200 }, 900 + 60 + 3600 + 900],
    // 10 per batch at 100 instances and min 90 / max 100: 10 batches
    [100, { minHealthyPercentage: 90, maxHealthyPercentage: 100 }, 10 * (900 + 60 + 3600) + 900],
  ])('derives the deadline of a %i-instance refresh from batches and hook timeouts', (desired, range, seconds) => {
    const input = { ...settings, ...range };
    expect(
      refreshDeadlineSeconds({
        desiredCapacity: desired,
        settings: input,
        launchHookSeconds: 900,
        terminateHookSeconds: 3600,
      }),
    ).toBe(seconds);
  });

  it('adds every checkpoint’s delay to the deadline', () => {
    const input = {
      ...settings,
      minHealthyPercentage: 100,
      maxHealthyPercentage: 200,
      checkpointPercentages: [50, 100],
      checkpointDelaySeconds: 600,
    };
    expect(
      refreshDeadlineSeconds({
        desiredCapacity: 4,
        settings: input,
        launchHookSeconds: 900,
        terminateHookSeconds: 3600,
      }),
    ).toBe(900 + 60 + 3600 + 2 * 600 + 900);
  });
});
