import { parseWatcherConfig, validateWatcherConfig, DEFAULT_MIN_AMI_AGE_HOURS } from '../../../lambdas/watcher/config';
import { routeWatcherEvent } from '../../../lambdas/watcher/events';
import { inMaintenanceWindow } from '../../../lambdas/watcher/maintenance-window';
import {
  EMPTY_STATE,
  HISTORY_LIMIT,
  parseDenyList,
  parseGroupState,
  serializeDenyList,
  serializeGroupState,
  withHistory,
} from '../../../lambdas/watcher/state';
import { bottlerocketEcsParameter } from '../../../lambdas/watcher/source-parameters';
import { ASG, loadEvent, refreshEvent, watcherConfig, watcherConfigInput } from './helpers/watcher-kit';
import type { JsonObject } from '../../support/json';

describe('WATCHER_CONFIG', () => {
  it('fills the policy defaults: 24 h minimum age, always open, roll back at 3 abandoned launches', () => {
    // GIVEN a config without a policy block
    const { policy, ...rest } = watcherConfigInput();
    void policy;
    // THEN the defaults apply
    expect(validateWatcherConfig(rest).policy).toEqual({
      minAmiAgeHours: DEFAULT_MIN_AMI_AGE_HOURS,
      maintenanceWindows: [],
      abandonedLaunchesToRollBack: 3,
    });
    expect(DEFAULT_MIN_AMI_AGE_HOURS).toBe(24);
  });

  it.each([
    ['a missing variable', undefined, /WATCHER_CONFIG is not set/],
    ['invalid JSON', '{nope', /WATCHER_CONFIG is not valid JSON/],
  ])('rejects %s', (_name, raw, message) => {
    expect(() => parseWatcherConfig(raw)).toThrow(message);
  });

  it.each([
    [
      'auto without approvedParameterName',
      (c: JsonObject) => delete c.nodeGroups[0].approvedParameterName,
      /WATCHER_CONFIG\.nodeGroups\.0\.approvedParameterName: is required when mode is "auto"/,
    ],
    ['an unknown mode', (c: JsonObject) => (c.nodeGroups[0].mode = 'manual'), /WATCHER_CONFIG\.nodeGroups\.0\.mode/],
    [
      'a window ending before it starts',
      (c: JsonObject) => (c.policy.maintenanceWindows = [{ days: ['Tue'], startHour: 16, endHour: 9 }]),
      /endHour: endHour must be greater than startHour/,
    ],
    [
      'an unknown weekday',
      (c: JsonObject) => (c.policy.maintenanceWindows = [{ days: ['Tuesday'], startHour: 9, endHour: 16 }]),
      /days\.0: must be one of Sun, Mon/,
    ],
    ['a negative minimum age', (c: JsonObject) => (c.policy.minAmiAgeHours = -1), /policy\.minAmiAgeHours/],
    [
      'duplicate ASGs',
      (c: JsonObject) => (c.nodeGroups[1].asgName = c.nodeGroups[0].asgName),
      /nodeGroups\.1\.asgName: duplicate asgName/,
    ],
    [
      'max − min healthy above 100',
      (c: JsonObject) =>
        (c.nodeGroups[0].refreshPreferences = {
          minHealthyPercentage: 50,
          maxHealthyPercentage: 200,
          instanceWarmupSeconds: 0,
        }),
      /may not exceed 100/,
    ],
    [
      'descending checkpoints',
      (c: JsonObject) => (c.nodeGroups[0].refreshPreferences.checkpointPercentages = [50, 20]),
      /strictly ascending/,
    ],
    [
      'a non-SNS legacy topic',
      (c: JsonObject) => (c.legacyAmiTopicArn = 'topic'),
      /legacyAmiTopicArn: must be an SNS topic ARN/,
    ],
    ['an unknown key', (c: JsonObject) => (c.surprise = true), /Unrecognized key/],
  ])('rejects %s with a message naming the key', (_name, mutate, message) => {
    const input = JSON.parse(JSON.stringify(watcherConfigInput()));
    mutate(input);
    expect(() => parseWatcherConfig(JSON.stringify(input))).toThrow(message);
  });
});

describe('routeWatcherEvent (AWS sample events)', () => {
  const config = watcherConfig();

  it('routes the documented scheduled event to a sweep', () => {
    expect(routeWatcherEvent(loadEvent('eventbridge-scheduled-event.json'), config)).toEqual({
      kind: 'sweep',
      why: 'schedule',
    });
  });

  it('routes the documented checkpoint event with its percentage and delay', () => {
    const trigger = routeWatcherEvent(refreshEvent('checkpoint-reached', { AutoScalingGroupName: ASG }), config);
    expect(trigger).toMatchObject({
      kind: 'refresh',
      event: 'CheckpointReached',
      refreshId: 'ab00cf8f-9126-4f3c-8010-dbb8cad6fb86',
      checkpoint: { percentage: '50', delaySeconds: '300' },
    });
  });

  it.each([
    ['started', 'Started'],
    ['succeeded', 'Succeeded'],
    ['failed', 'Failed'],
    ['cancelled', 'Cancelled'],
    ['rollback-started', 'RollbackStarted'],
    ['rollback-succeeded', 'RollbackSucceeded'],
    ['rollback-failed', 'RollbackFailed'],
  ])('routes the documented %s event', (name, kind) => {
    expect(routeWatcherEvent(refreshEvent(name, { AutoScalingGroupName: ASG }), config)).toMatchObject({
      kind: 'refresh',
      event: kind,
      refreshId: 'c613620e-07e2-4ed2-a9e2-ef8258911ade',
    });
  });

  it('routes the activity events its rule delivers: failed launch → refresh check, termination → rollback', () => {
    const unsuccessful = loadEvent('autoscaling-instance-launch-unsuccessful.json');
    const terminated = loadEvent('autoscaling-instance-terminate-successful.json');
    const ours = (event: Record<string, unknown>) => ({
      ...event,
      detail: { ...(event.detail as object), AutoScalingGroupName: ASG },
    });
    expect(routeWatcherEvent(unsuccessful, config)).toMatchObject({ kind: 'ignore', reason: /is not managed/ });
    expect(routeWatcherEvent(ours(unsuccessful), config)).toMatchObject({ kind: 'activity', launchFailed: true });
    expect(routeWatcherEvent(ours(terminated), config)).toMatchObject({ kind: 'activity', launchFailed: false });
    // AND a successful launch, which no rule delivers, is ignored
    const launched = ours(loadEvent('watcher/autoscaling-instance-launch-successful.json'));
    expect(routeWatcherEvent(launched, config)).toMatchObject({ kind: 'ignore' });
  });

  it('ignores refresh baking and manual invocations sweep', () => {
    expect(
      routeWatcherEvent(
        { source: 'aws.autoscaling', 'detail-type': 'EC2 Auto Scaling Instance Refresh Started Baking', detail: {} },
        config,
      ),
    ).toMatchObject({ kind: 'ignore' });
    expect(routeWatcherEvent({}, config)).toEqual({ kind: 'sweep', why: 'manual invocation' });
  });
});

describe('state, deny list and windows', () => {
  it('keeps the promotion history bounded and without duplicates', () => {
    let state = EMPTY_STATE;
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) state = withHistory(state, `ami-${String(i).padStart(8, '0')}`);
    state = withHistory(state, 'ami-00000024');
    expect(state.history).toHaveLength(HISTORY_LIMIT);
    expect(state.history.at(-1)).toBe('ami-00000024');
    expect(parseGroupState(serializeGroupState(state)).state).toEqual(state);
  });

  it('starts from an empty state when the parameter is missing or corrupt, and says why', () => {
    expect(parseGroupState(undefined)).toEqual({ state: EMPTY_STATE });
    expect(parseGroupState('not json').problem).toMatch(/not JSON/);
    expect(parseGroupState('{"v":2}').problem).toMatch(/unexpected shape/);
  });

  it('reads the deny list as a StringList or a JSON array, ignoring placeholders', () => {
    expect(parseDenyList('none')).toEqual({ amiIds: [], format: 'list' });
    expect(parseDenyList('ami-1, ami-2')).toEqual({ amiIds: ['ami-1', 'ami-2'], format: 'list' });
    expect(parseDenyList('["ami-3"]')).toEqual({ amiIds: ['ami-3'], format: 'json' });
    expect(serializeDenyList(['ami-1', 'ami-2'], 'list')).toBe('ami-1,ami-2');
    expect(serializeDenyList(['ami-1'], 'json')).toBe('["ami-1"]');
  });

  it('treats an empty window list as always open', () => {
    expect(inMaintenanceWindow([], new Date('2025-03-09T03:00:00Z'))).toBe(true);
  });

  it('builds Bottlerocket ECS parameter names', () => {
    expect(bottlerocketEcsParameter('aws-ecs-2', 'arm64')).toBe(
      '/aws/service/bottlerocket/aws-ecs-2/arm64/latest/image_id',
    );
  });
});
