import { benchScenario, formatTable, type BenchRow } from '../../sim/report/bench-rows';
import { aggregateBySize, aggregateSeeds, benchSeeds } from '../../sim/report/multi-seed';

function row(overrides: Partial<BenchRow>): BenchRow {
  return {
    makespanS: 100,
    makespanRatio: 1,
    lowestHealthyPct: 100,
    undrainedTaskStops: 0,
    hookLatencyP50S: 1,
    hookLatencyP99S: 2,
    hooksTimedOut: 0,
    lambdaInvocations: 10,
    lambdaGbSecondsPerInstance: 0.2,
    ecsApiCallsPerInstance: 10,
    throttledCalls: 0,
    forcedDrains: 0,
    ...overrides,
  };
}

describe('multi-seed bench rows', () => {
  it('averages every key and adds the p90 of the makespan and of the ratio', () => {
    // GIVEN ten seeds whose makespans are 100, 110, …, 190 s and whose ratios are 1.0, 1.1, …, 1.9
    const perSeed = Array.from({ length: 10 }, (_, i) =>
      row({ makespanS: 100 + 10 * i, makespanRatio: 1 + i / 10, throttledCalls: i }),
    );
    // WHEN they are aggregated
    const aggregated = aggregateSeeds(perSeed);
    // THEN each key is the mean, and the p90 is the nearest-rank 90th percentile (the 9th of 10)
    expect(aggregated).toMatchObject({
      makespanS: 145,
      makespanSMean: 145,
      makespanSP90: 180,
      makespanRatio: 1.45,
      makespanRatioP90: 1.8,
      throttledCalls: 4.5,
      lowestHealthyPct: 100,
      seeds: 10,
      completedSeeds: 10,
    });
    expect(aggregated.extrapolatedFromInstances).toBeUndefined();
  });

  it('leaves unfinished seeds out of the makespan mean and counts only the finished ones', () => {
    // GIVEN one seed that finished in 200 s and one that did not finish
    const perSeed = [row({ makespanS: 200, makespanRatio: 2 }), row({ makespanS: null, makespanRatio: null })];
    // WHEN aggregated
    const aggregated = aggregateSeeds(perSeed);
    // THEN the makespan is the finished seed's, and completedSeeds says one of two seeds finished
    expect(aggregated).toMatchObject({ makespanS: 200, makespanRatio: 2, seeds: 2, completedSeeds: 1 });
  });

  it('divides each seed by its own T1, running N = 1 even when the sizes leave it out', async () => {
    // GIVEN US at N = 10 over seeds 1 and 2, without N = 1 in the sizes
    const runs: string[] = [];
    const perSeed = await benchSeeds('US', [10], [1, 2], (run) => runs.push(`${run.n}@${run.seed}`));
    // THEN N = 1 ran for each seed but is not reported
    expect(runs).toEqual(['1@1', '10@1', '1@2', '10@2']);
    expect(perSeed.map((rows) => Object.keys(rows))).toEqual([['10'], ['10']]);
    // THEN each seed's ratio is its N = 10 makespan over the same seed's N = 1 makespan
    for (const [index, seed] of [1, 2].entries()) {
      const t1 = (await benchScenario('US', 1, seed)).makespanS as number;
      const t10 = (await benchScenario('US', 10, seed)).makespanS as number;
      expect(perSeed[index]['10'].makespanRatio).toBeCloseTo(t10 / t1, 2);
    }
    // THEN the aggregated row is keyed by N and carries the multi-seed keys
    const aggregated = aggregateBySize(perSeed);
    expect(Object.keys(aggregated)).toEqual(['10']);
    expect(aggregated['10']).toMatchObject({ seeds: 2, completedSeeds: 2 });
  });

  it('prints the p90 columns and says the cells are means when given the number of seeds', () => {
    // GIVEN one aggregated row
    const table = formatTable({ US: { '10': aggregateSeeds([row({}), row({ makespanS: 120 })]) } }, 2);
    const [header, , first] = table.split('\n').map((line) => line.trim().split(/\s{2,}/));
    // THEN the header has the p90 columns after the means, and the row has the values under them
    expect(header.slice(0, 6)).toEqual(['strategy', 'N', 'makespan s', '/T1', 'makespan p90 s', '/T1 p90']);
    expect(first.slice(0, 6)).toEqual(['US', '10', '110', '1', '120', '1']);
    expect(table).toContain('means over seeds 1..2');
  });
});
