import { StartInstanceRefreshCommand } from '@aws-sdk/client-auto-scaling';
import { createAmiWatcherHandler } from '../../../lambdas/watcher/watcher-handler';
import { routeWatcherEvent } from '../../../lambdas/watcher/events';
import {
  decideReconcile,
  MAX_APPROVED_WRITES,
  ReconcileInput,
  REWRITE_AFTER_MS,
} from '../../../lambdas/watcher/reconcile-decision';
import { EMPTY_STATE, GroupState } from '../../../lambdas/watcher/state';
import { fakeDeps, WatcherWorld } from './helpers/watcher-world';
import {
  AMI_CUR,
  AMI_NEW,
  AMI_OLD,
  APPROVED,
  PAUSE,
  PREVIOUS,
  SOURCE,
  STATE,
  T0,
  hoursAfter,
  loadEvent,
  watcherConfig,
} from './helpers/watcher-kit';

const AMI_HAND = 'ami-0d0d0d0d0d0d0d0d0';
const at = (minutesAgo: number) => new Date(T0.getTime() - minutesAgo * 60_000).toISOString();
const pendingState = (
  minutesAgo: number,
  writes = 1,
  extra: Partial<NonNullable<GroupState['pending']>> = {},
): GroupState => ({
  ...EMPTY_STATE,
  history: [AMI_NEW],
  pending: { amiId: AMI_NEW, previousAmiId: AMI_CUR, at: at(minutesAgo), writes, ...extra },
});
const refreshed: GroupState = {
  ...EMPTY_STATE,
  history: [AMI_CUR],
  approved: AMI_CUR,
  refresh: { id: 'r-1', amiId: AMI_CUR, previousAmiId: AMI_OLD, startedAt: at(600), outcome: 'Successful' },
};
const onCur = [AMI_CUR, AMI_CUR];
const input = (overrides: Partial<ReconcileInput>): ReconcileInput => ({
  state: EMPTY_STATE,
  approvedAmiId: AMI_CUR,
  previousAmiId: AMI_CUR,
  fleetAmiIds: onCur,
  denyList: [],
  paused: false,
  now: T0,
  ...overrides,
});
const active = (startedMinutesAgo: number) => ({
  id: 'r-x',
  status: 'InProgress',
  startTime: new Date(at(startedMinutesAgo)),
});

describe('decideReconcile (decision table)', () => {
  test.each<[string, Partial<ReconcileInput>, string, RegExp]>([
    [
      'rollback in progress',
      {
        state: {
          ...refreshed,
          rollback: { failedAmiId: AMI_NEW, restoredAmiId: AMI_CUR, startedAt: at(1), replaceAttempts: 0 },
        },
        approvedAmiId: AMI_HAND,
      },
      'NONE',
      /rollback of/,
    ],
    ['approved unreadable', { approvedAmiId: undefined }, 'NONE', /no readable AMI/],
    ['fresh install: approved = previous, no record', {}, 'NONE', /recorded approved AMI/],
    ['approved = the recorded approved AMI', { state: refreshed }, 'NONE', /recorded approved AMI/],
    [
      'legacy state, failed refresh rolled back',
      {
        state: { ...refreshed, approved: undefined, refresh: { ...refreshed.refresh!, outcome: 'Failed' } },
        approvedAmiId: AMI_OLD,
      },
      'NONE',
      /recorded/,
    ],
    ['no record and previous unreadable', { previousAmiId: undefined, approvedAmiId: AMI_NEW }, 'NONE', /unreadable/],
    ['pending visible, no refresh', { state: pendingState(1), approvedAmiId: AMI_NEW }, 'START_REFRESH', /is visible/],
    [
      'pending visible, refresh started after it (id lost in a crash)',
      { state: pendingState(5), approvedAmiId: AMI_NEW, activeRefresh: active(1) },
      'ADOPT_REFRESH',
      /recorded as its refresh/,
    ],
    [
      'pending visible, someone else’s refresh started before it',
      { state: pendingState(5), approvedAmiId: AMI_NEW, activeRefresh: active(30) },
      'WAIT',
      /starts after it/,
    ],
    [
      'pending visible, every instance already on it',
      { state: pendingState(1), approvedAmiId: AMI_NEW, fleetAmiIds: [AMI_NEW] },
      'SETTLE',
      /no refresh needed/,
    ],
    [
      'pending not visible yet',
      { state: pendingState(2), approvedAmiId: AMI_CUR },
      'WAIT',
      /waiting for SSM to validate/,
    ],
    [
      'pending never visible (write lost or crashed before it)',
      { state: pendingState(REWRITE_AFTER_MS / 60_000), approvedAmiId: AMI_CUR },
      'REWRITE',
      /writing it again/,
    ],
    [
      'pending rejected by SSM on every write',
      { state: pendingState(11, MAX_APPROVED_WRITES), approvedAmiId: AMI_CUR },
      'ABANDON',
      /did not accept/,
    ],
    [
      'pending superseded by a manual write',
      { state: pendingState(2), approvedAmiId: AMI_HAND },
      'ADOPT',
      /while .* was being promoted/,
    ],
    [
      'crash of an older version between approved and state writes',
      { approvedAmiId: AMI_NEW },
      'ADOPT',
      /interrupted before it was recorded/,
    ],
    [
      'manual write, fleet already on it',
      { state: refreshed, approvedAmiId: AMI_HAND, fleetAmiIds: [AMI_HAND] },
      'ADOPT',
      /without a refresh/,
    ],
    [
      'manual write of a denied AMI',
      { state: refreshed, approvedAmiId: AMI_HAND, denyList: [AMI_HAND] },
      'BLOCKED',
      /deny list/,
    ],
    [
      'manual write while paused',
      { state: refreshed, approvedAmiId: AMI_HAND, paused: true },
      'BLOCKED',
      /pause switch/,
    ],
  ])('%s → %s', (_name, overrides, action, reason) => {
    // GIVEN the observed state WHEN reconciled THEN the action and its reason
    const decision = decideReconcile(input(overrides));
    expect(decision).toMatchObject({ action, reason: expect.stringMatching(reason) });
  });

  test('an adoption rolls back to the last recorded approved AMI (or the previous parameter without a record)', () => {
    expect(decideReconcile(input({ state: refreshed, approvedAmiId: AMI_HAND }))).toMatchObject({
      action: 'ADOPT',
      refresh: true,
      previousAmiId: AMI_CUR,
    });
    expect(decideReconcile(input({ approvedAmiId: AMI_NEW, previousAmiId: AMI_CUR }))).toMatchObject({
      action: 'ADOPT',
      refresh: true,
      previousAmiId: AMI_CUR,
    });
  });
});

const schedule = () => loadEvent('eventbridge-scheduled-event.json');
/** The documented Update sample, renamed to one of our parameters (the fixture itself is never changed). */
const parameterChange = (name: string, detail: Record<string, unknown> = {}) => {
  const event = loadEvent('watcher/ssm-parameter-store-change-update.json');
  return { ...event, detail: { ...(event.detail as object), name, ...detail } };
};

function setup(prepare: (world: WatcherWorld) => void) {
  const world = WatcherWorld.auto()
    .param(SOURCE, AMI_NEW)
    .image(AMI_NEW, hoursAfter(-48))
    .image(AMI_CUR, hoursAfter(-500));
  prepare(world);
  const kit = fakeDeps(world, watcherConfig());
  return { world, ...kit, handler: createAmiWatcherHandler(kit.deps) };
}
const general = (result: { outcomes: readonly { nodeGroup: string }[] }) =>
  result.outcomes.find((o) => o.nodeGroup === 'general');

describe('AMI watcher: Parameter Store Change and crash recovery', () => {
  test('routes samples: approved parameter (± "/") → resume; pause switch → all auto groups; others ignored', () => {
    const config = watcherConfig();
    expect(routeWatcherEvent(parameterChange(APPROVED), config)).toMatchObject({
      kind: 'resume',
      groups: [{ name: 'general' }],
    });
    expect(routeWatcherEvent(parameterChange(APPROVED.slice(1)), config)).toMatchObject({
      kind: 'resume',
      groups: [{ name: 'general' }],
    });
    expect(routeWatcherEvent(parameterChange(PAUSE), config)).toMatchObject({
      kind: 'resume',
      groups: [{ name: 'general' }],
    });
    const failed = loadEvent('watcher/ssm-parameter-store-change-ec2-image-failed.json');
    expect(
      routeWatcherEvent({ ...failed, detail: { ...(failed.detail as object), name: APPROVED } }, config),
    ).toMatchObject({ kind: 'resume', why: expect.stringMatching(/exception: Unable to Describe Resource/) });
    expect(routeWatcherEvent(loadEvent('watcher/ssm-parameter-store-change-update.json'), config)).toMatchObject({
      kind: 'ignore',
      reason: 'parameter foo is not an approved parameter of this watcher',
    });
    expect(routeWatcherEvent(parameterChange(STATE), config)).toMatchObject({ kind: 'ignore' });
  });

  test('the Parameter Store Change event starts the refresh as soon as SSM has validated the promotion', async () => {
    // GIVEN a promotion whose write SSM is still validating
    const { handler, world, asgMock } = setup((w) => (w.holdImageWrites = true));
    expect(general(await handler(schedule()))).toMatchObject({
      decision: 'PROMOTE',
      reason: expect.stringMatching(/waiting for SSM to validate/),
    });
    // WHEN SSM finished and its event arrives (seconds later, not an hour)
    world.validate();
    const result = await handler(parameterChange(APPROVED));
    // THEN the refresh starts and the state records it
    expect(result).toMatchObject({
      trigger: 'resume',
      outcomes: [{ nodeGroup: 'general', decision: 'REFRESH_STARTED' }],
    });
    expect(asgMock.commandCalls(StartInstanceRefreshCommand)).toHaveLength(1);
    expect(JSON.parse(world.value(STATE)!)).toMatchObject({
      approved: AMI_NEW,
      refresh: { amiId: AMI_NEW, previousAmiId: AMI_CUR },
    });
    expect(JSON.parse(world.value(STATE)!).pending).toBeUndefined();
    // AND a duplicate event does nothing
    expect(general(await handler(parameterChange(APPROVED)))).toMatchObject({ decision: 'NONE' });
    expect(asgMock.commandCalls(StartInstanceRefreshCommand)).toHaveLength(1);
  });

  test('records the promotion before writing the approved AMI, re-writes it when the write was lost', async () => {
    // GIVEN the runtime died right after the state write (pending recorded, approved never written)
    const { handler, world, clock, puts, asgMock } = setup((w) => w.param(STATE, JSON.stringify(pendingState(0))));
    clock.now = new Date(T0.getTime() + REWRITE_AFTER_MS);
    // WHEN the next schedule runs
    await handler(schedule());
    // THEN the record is updated first, then previous and approved are written again
    expect(
      puts()
        .map((p) => p.Name)
        .slice(0, 3),
    ).toEqual([STATE, PREVIOUS, APPROVED]);
    expect(JSON.parse(world.value(STATE)!).pending).toMatchObject({ amiId: AMI_NEW, writes: 2 });
    // AND once visible the refresh starts
    await handler(parameterChange(APPROVED));
    expect(asgMock.commandCalls(StartInstanceRefreshCommand)).toHaveLength(1);
  });

  test('adopts an approved AMI without promotion record (crash between the writes): refresh and notify', async () => {
    // GIVEN approved = NEW, previous = CUR, the state still {} and every instance on CUR
    const { handler, world, asgMock, published } = setup((w) =>
      w.param(APPROVED, AMI_NEW, 'String', 'aws:ec2:image').param(STATE, '{}'),
    );
    // WHEN the schedule runs (before: NOTHING_NEW forever)
    const result = await handler(schedule());
    // THEN the fleet converges through a refresh, with CUR as the rollback target, and the operators are told
    expect(general(result)).toMatchObject({ decision: 'ADOPTED_REFRESH_STARTED' });
    expect(asgMock.commandCalls(StartInstanceRefreshCommand)).toHaveLength(1);
    expect(JSON.parse(world.value(STATE)!)).toMatchObject({
      history: [AMI_NEW],
      approved: AMI_NEW,
      refresh: { amiId: AMI_NEW, previousAmiId: AMI_CUR },
    });
    expect(published()).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          new RegExp(
            `\\[WARNING\\] prod/general: AMI ${AMI_NEW} found in the approved parameter without a promotion record`,
          ),
        ),
      ]),
    );
    // AND the next run finds nothing to do
    expect(general(await handler(schedule()))).toMatchObject({ decision: 'NOTHING_NEW' });
    expect(asgMock.commandCalls(StartInstanceRefreshCommand)).toHaveLength(1);
  });
});
