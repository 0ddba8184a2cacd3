/**
 * The refresh duration model (cli/plan-summary/duration.ts) against the examples of "Add checkpoints to an instance
 * refresh" (Amazon EC2 Auto Scaling User Guide,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-adding-checkpoints-instance-refresh.html).
 */
import { describeBatches, estimateRefresh, RefreshShape } from '../../../cli/plan-summary/duration';

const assumptions = { bootSeconds: 90, joinSeconds: 30, drainSeconds: 300 };
const shape = (overrides: Partial<RefreshShape>): RefreshShape => ({
  instancesReplaced: 10,
  minHealthyPercentage: 80,
  maxHealthyPercentage: 100,
  warmupSeconds: 60,
  checkpointPercentages: [],
  checkpointDelaySeconds: 3600,
  ...overrides,
});

test('AWS example: 10 instances, checkpoints 20/50/100 %, min 80 % — two at a time, paused twice', () => {
  // the page's example (paraphrased): 10 instances, min 80 % / max 100 % — only two can be replaced at a time
  const estimate = estimateRefresh(shape({ checkpointPercentages: [20, 50, 100] }), assumptions);
  expect(estimate.batchSize).toBe(2);
  expect(estimate.phases.map((p) => [p.upTo, p.batches, p.pauseSeconds])).toEqual([
    [2, [2], 3600],
    [5, [2, 1], 3600],
    [10, [2, 2, 1], 0],
  ]);
  expect(estimate.totalSeconds).toBe(6 * (90 + 30 + 60 + 300) + 2 * 3600);
});

test('AWS example: 2 instances, checkpoints 10/40/100 % — the first checkpoint is skipped, one pause', () => {
  // the page's example (paraphrased): once the first of 2 instances is new, 50 % are new — past 10 % and 40 % — so the
  // first checkpoint is skipped and the second is notified
  const estimate = estimateRefresh(
    shape({ instancesReplaced: 2, checkpointPercentages: [10, 40, 100], checkpointDelaySeconds: 600 }),
    assumptions,
  );
  expect(estimate.phases.map((p) => [p.upTo, p.pauseSeconds])).toEqual([
    [1, 600],
    [2, 0],
  ]);
  expect(estimate.checkpointPauses).toBe(1);
});

test('without checkpoints a launch-before-terminate refresh replaces the whole group in one batch', () => {
  const estimate = estimateRefresh(
    shape({ instancesReplaced: 6, minHealthyPercentage: 100, maxHealthyPercentage: 200 }),
    assumptions,
  );
  expect([estimate.batches, estimate.batchSize, estimate.checkpointPauses]).toEqual([1, 6, 0]);
  expect(describeBatches(estimate)).toBe('1 batch of ≤ 6');
});

test('a bake time is added once, and an empty group takes no time', () => {
  const baked = estimateRefresh(shape({ instancesReplaced: 1, bakeSeconds: 900 }), assumptions);
  expect(baked.totalSeconds).toBe(90 + 30 + 60 + 300 + 900);
  expect(estimateRefresh(shape({ instancesReplaced: 0, bakeSeconds: 900 }), assumptions).totalSeconds).toBe(0);
});
