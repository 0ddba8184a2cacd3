import fc from 'fast-check';
import { decidePromotion, formatAge, PromotionInput } from '../../../lambdas/watcher/promotion-decision';
import { AMI_CUR, AMI_NEW, AMI_OLD, hoursAfter, SOURCE, T0 } from './helpers/watcher-kit';

// GIVEN a baseline where every gate is open: auto mode, AMI_NEW released 48 h ago, approved AMI_CUR, no windows.
const CREATED = hoursAfter(-48);
function input(overrides: Partial<PromotionInput> = {}): PromotionInput {
  return {
    mode: 'auto',
    candidate: {
      kind: 'ami',
      amiId: AMI_NEW,
      facts: { imageId: AMI_NEW, name: 'al2023-ami-ecs-hvm-2023.0.20250301', creationDate: CREATED },
    },
    approvedAmiId: AMI_CUR,
    fleetAmiIds: [AMI_CUR, AMI_CUR, AMI_OLD],
    historyAmiIds: [AMI_OLD, AMI_CUR],
    denyList: [],
    pause: { paused: false },
    minAmiAgeHours: 24,
    maintenanceWindows: [],
    now: T0,
    ...overrides,
  };
}

const WINDOW = [{ days: ['Tue', 'Wed', 'Thu'] as ('Tue' | 'Wed' | 'Thu')[], startHour: 9, endHour: 16 }];
const at = (iso: string) => new Date(iso);
const oneSecond = 1000;

// Each row: name, overrides → expected action, expected code (SKIP) and a fragment of the reason.
const TABLE: Array<[string, Partial<PromotionInput>, string, string | undefined, RegExp]> = [
  ['all gates open → PROMOTE', {}, 'PROMOTE', undefined, new RegExp(`promote ${AMI_NEW} \\(replacing ${AMI_CUR}\\)`)],
  [
    'source parameter missing',
    { candidate: { kind: 'missing', parameterName: SOURCE } },
    'SKIP',
    'PARAMETER_MISSING',
    /does not exist/,
  ],
  [
    'source parameter holds no AMI id',
    { candidate: { kind: 'invalid', parameterName: SOURCE, value: 'latest' } },
    'SKIP',
    'INVALID_PARAMETER',
    /holds "latest", not an AMI id/,
  ],
  ['approved parameter unreadable', { approvedAmiId: undefined }, 'SKIP', 'NO_APPROVED_AMI', /nothing to roll back to/],
  ['candidate is the approved AMI', { approvedAmiId: AMI_NEW }, 'NOTHING_NEW', undefined, /already the approved AMI/],
  ['candidate on the deny list', { denyList: [AMI_NEW] }, 'SKIP', 'DENIED', /deny list/],
  [
    'candidate promoted before (never twice)',
    { historyAmiIds: [AMI_NEW] },
    'SKIP',
    'ALREADY_PROMOTED',
    /never promotes the same AMI twice/,
  ],
  [
    'pause switch on',
    { pause: { paused: true, reason: 'the pause switch /p is "true"' } },
    'SKIP',
    'PAUSED',
    /pause switch \/p is "true"/,
  ],
  [
    'refresh in progress',
    { activeRefresh: { id: 'r-1', status: 'InProgress' } },
    'SKIP',
    'REFRESH_IN_PROGRESS',
    /r-1 is InProgress/,
  ],
  [
    'refresh baking counts as in progress',
    { activeRefresh: { id: 'r-2', status: 'Baking' } },
    'SKIP',
    'REFRESH_IN_PROGRESS',
    /Baking/,
  ],
  [
    'rollback replacing instances',
    { rollback: { failedAmiId: AMI_OLD, remaining: 2 } },
    'SKIP',
    'ROLLBACK_IN_PROGRESS',
    /2 instance\(s\) still run/,
  ],
  [
    'promotion waiting for its refresh',
    { pendingAmiId: AMI_CUR },
    'SKIP',
    'PROMOTION_PENDING',
    /waiting for its instance refresh/,
  ],
  [
    'image not describable',
    { candidate: { kind: 'ami', amiId: AMI_NEW } },
    'SKIP',
    'IMAGE_NOT_FOUND',
    /DescribeImages/,
  ],
  [
    'min age: 1 s short',
    { now: new Date(CREATED.getTime() + 24 * 3600_000 - oneSecond) },
    'SKIP',
    'TOO_NEW',
    new RegExp(`AMI ${AMI_NEW} is 23h 59m old; minimum age 24h`),
  ],
  ['min age: exactly reached', { now: new Date(CREATED.getTime() + 24 * 3600_000) }, 'PROMOTE', undefined, /promote/],
  [
    'min age: 3 h old',
    { now: hoursAfter(3, CREATED) },
    'SKIP',
    'TOO_NEW',
    new RegExp(`AMI ${AMI_NEW} is 3h old; minimum age 24h`),
  ],
  ['min age 0 promotes a brand-new AMI', { minAmiAgeHours: 0, now: CREATED }, 'PROMOTE', undefined, /promote/],
  [
    'unknown creation date with a minimum age',
    { candidate: { kind: 'ami', amiId: AMI_NEW, facts: { imageId: AMI_NEW } } },
    'SKIP',
    'UNKNOWN_AGE',
    /no creation date/,
  ],
  [
    'window: exactly at the start hour (Wed 09:00)',
    { maintenanceWindows: WINDOW, now: at('2025-03-05T09:00:00Z') },
    'PROMOTE',
    undefined,
    /promote/,
  ],
  [
    'window: one second before the start hour',
    { maintenanceWindows: WINDOW, now: at('2025-03-05T08:59:59Z') },
    'SKIP',
    'OUTSIDE_WINDOW',
    /Tue,Wed,Thu 09:00–16:00 UTC/,
  ],
  [
    'window: last second before the end hour',
    { maintenanceWindows: WINDOW, now: at('2025-03-05T15:59:59Z') },
    'PROMOTE',
    undefined,
    /promote/,
  ],
  [
    'window: exactly at the end hour (Wed 16:00)',
    { maintenanceWindows: WINDOW, now: at('2025-03-05T16:00:00Z') },
    'SKIP',
    'OUTSIDE_WINDOW',
    /outside the maintenance windows/,
  ],
  [
    'window: right hour, wrong day (Mon)',
    { maintenanceWindows: WINDOW, now: at('2025-03-10T10:00:00Z') },
    'SKIP',
    'OUTSIDE_WINDOW',
    /outside/,
  ],
  [
    'gitops: new AMI → REPORT_ONLY with the count of older instances',
    { mode: 'gitops', historyAmiIds: [] },
    'REPORT_ONLY',
    undefined,
    /3 instance\(s\) run older AMIs/,
  ],
  [
    'gitops: ignores maintenance windows',
    { mode: 'gitops', historyAmiIds: [], maintenanceWindows: WINDOW, now: at('2025-03-10T10:00:00Z') },
    'REPORT_ONLY',
    undefined,
    /new AMI/,
  ],
  [
    'gitops: already reported',
    { mode: 'gitops', historyAmiIds: [AMI_NEW] },
    'NOTHING_NEW',
    undefined,
    /already reported/,
  ],
  [
    'gitops: the fleet already runs it',
    { mode: 'gitops', historyAmiIds: [], fleetAmiIds: [AMI_NEW, AMI_NEW] },
    'NOTHING_NEW',
    undefined,
    /every instance already runs/,
  ],
  [
    'gitops: too new is not reported yet',
    { mode: 'gitops', historyAmiIds: [], now: hoursAfter(1, CREATED) },
    'SKIP',
    'TOO_NEW',
    /1h old/,
  ],
  [
    'gitops: pause silences the report',
    { mode: 'gitops', historyAmiIds: [], pause: { paused: true } },
    'SKIP',
    'PAUSED',
    /pause switch is on/,
  ],
];

describe('decidePromotion (decision table)', () => {
  it.each(TABLE)('%s', (_name, overrides, action, code, reason) => {
    // WHEN the policy decides on the baseline changed by one input
    const decision = decidePromotion(input(overrides));
    // THEN the action, skip code and reason are the documented ones
    expect(decision.action).toBe(action);
    if (code !== undefined) expect(decision).toMatchObject({ code });
    expect(decision.reason).toMatch(reason);
  });

  it('checks the deny list before the pause switch and the refresh (the most specific reason wins)', () => {
    // GIVEN an AMI that is denied, while paused and while a refresh runs
    const decision = decidePromotion(
      input({ denyList: [AMI_NEW], pause: { paused: true }, activeRefresh: { id: 'r', status: 'InProgress' } }),
    );
    // THEN the reason is the deny list
    expect(decision).toMatchObject({ action: 'SKIP', code: 'DENIED', amiId: AMI_NEW });
  });

  it('never promotes while paused, denied, already promoted or while a refresh is active (property)', () => {
    const arbitraryInput = fc.record({
      paused: fc.boolean(),
      denied: fc.boolean(),
      promotedBefore: fc.boolean(),
      refreshStatus: fc.constantFrom(undefined, 'Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking'),
      ageHours: fc.integer({ min: 0, max: 200 }),
      minAge: fc.integer({ min: 0, max: 72 }),
    });
    fc.assert(
      fc.property(arbitraryInput, (x) => {
        const decision = decidePromotion(
          input({
            pause: { paused: x.paused },
            denyList: x.denied ? [AMI_NEW] : [],
            historyAmiIds: x.promotedBefore ? [AMI_NEW] : [],
            activeRefresh: x.refreshStatus ? { id: 'r', status: x.refreshStatus } : undefined,
            minAmiAgeHours: x.minAge,
            now: hoursAfter(x.ageHours, CREATED),
          }),
        );
        const mayPromote = !x.paused && !x.denied && !x.promotedBefore && !x.refreshStatus && x.ageHours >= x.minAge;
        // THEN PROMOTE happens exactly when every gate is open
        expect(decision.action === 'PROMOTE').toBe(mayPromote);
      }),
    );
  });
});

describe('formatAge', () => {
  it('floors to minutes so an AMI just short of the minimum never reads as old enough', () => {
    expect(formatAge(24 * 3600_000 - 1000)).toBe('23h 59m');
    expect(formatAge(3 * 3600_000)).toBe('3h');
    expect(formatAge(45 * 60_000)).toBe('45m');
    expect(formatAge(-5)).toBe('0m');
  });
});
