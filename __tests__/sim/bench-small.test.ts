import { benchScenario, toRow } from '../../sim/report/bench-rows';
import { chartSpec } from '../../sim/report/chart';
import { STRATEGY_IDS } from '../../sim/strategies';

describe('small bench (N = 1, 10)', () => {
  it('runs every strategy and keeps US free of undrained stops at full capacity', async () => {
    const rows: Record<string, ReturnType<typeof toRow>[]> = {};
    for (const strategy of STRATEGY_IDS) {
      // GIVEN each strategy at N=1 and N=10 with the bench's background faults
      const one = await benchScenario(strategy, 1, 1);
      const ten = await benchScenario(strategy, 10, 1);
      // THEN every rollout finishes and uses only simulated AWS commands
      expect(one.completed).toBe(true);
      expect(ten.completed).toBe(true);
      expect([...one.unsupportedCommands, ...ten.unsupportedCommands]).toEqual([]);
      rows[strategy] = [toRow(one, one.makespanS), toRow(ten, one.makespanS)];
    }
    // THEN US (the real gates) never stops a service task undrained and never dips below desired capacity
    for (const row of rows.US) {
      expect(row.undrainedTaskStops).toBe(0);
      expect(row.lowestHealthyPct).toBeGreaterThanOrEqual(100);
      expect(row.hookLatencyP50S).not.toBeNull();
    }
    expect(rows.US[0].makespanRatio).toBe(1);
    // THEN the JSON row carries exactly the documented keys
    expect(Object.keys(rows.US[1]).sort()).toEqual(
      [
        'ecsApiCallsPerInstance',
        'forcedDrains',
        'hookLatencyP50S',
        'hookLatencyP99S',
        'hooksTimedOut',
        'lambdaGbSecondsPerInstance',
        'lambdaInvocations',
        'lowestHealthyPct',
        'makespanRatio',
        'makespanS',
        'throttledCalls',
        'undrainedTaskStops',
      ].sort(),
    );
  });

  it('builds a vega-lite line chart spec with one series per strategy', () => {
    // GIVEN two capacity timelines
    const spec = chartSpec(
      [
        {
          strategy: 'US',
          points: [
            { t: 0, pct: 100 },
            { t: 60, pct: 200 },
          ],
        },
        { strategy: 'BLOG', points: [{ t: 0, pct: 100 }] },
      ],
      'title',
    );
    // THEN the data is long-form (strategy, minutes, pct) and colour encodes the strategy
    expect((spec.data as { values: unknown[] }).values).toEqual([
      { strategy: 'US', minutes: 0, pct: 100 },
      { strategy: 'US', minutes: 1, pct: 200 },
      { strategy: 'BLOG', minutes: 0, pct: 100 },
    ]);
    expect(spec).toMatchObject({ mark: { type: 'line' }, encoding: { color: { field: 'strategy' } } });
  });
});
