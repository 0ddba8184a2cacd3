/**
 * Random cluster shapes and fault mixes for the chaos suite; one seed fully determines a run. Besides the faults, the
 * shapes a real cluster has and the gates must not break on (issue 13): services on every deployment controller, a
 * service no one can drain (the rollout must be refused before any termination), and a service that loses its
 * headroom mid-rollout through an operator's UpdateService (held at the drain gate with an alert; restored later or
 * never — then the run ends held for the operator).
 */
import { Rng } from '../rng';
import { NO_FAULTS, type FaultPlan } from '../faults';
import type { ClusterShape } from '../world';
import type { ServiceName } from '../aws/errors';

export interface ChaosScenario {
  readonly seed: number;
  readonly shape: ClusterShape;
  readonly faults: FaultPlan;
}

export function chaosScenario(seed: number): ChaosScenario {
  const rng = new Rng(seed).fork('chaos');
  const some = (p: number): boolean => rng.chance(p);
  const windows = <T>(max: number, make: (start: number) => T): T[] =>
    Array.from({ length: rng.int(0, max) }, () => make(rng.uniform(0, 900)));
  const shape: ClusterShape = {
    instances: rng.int(1, 8),
    tasksPerService: rng.pick([2, 4, 8]),
    serviceTasksPerInstance: rng.int(1, 4),
    daemon: some(0.7),
    minimumHealthyPercent: rng.pick([50, 100, 100]),
    maximumPercent: rng.pick([150, 200, 200]),
  };
  const faults: FaultPlan = {
    ...NO_FAULTS,
    neverJoinProbability: some(0.3) ? rng.uniform(0, 0.3) : 0,
    badAmi: some(0.05),
    eventLossProbability: some(0.3) ? rng.uniform(0, 0.05) : 0,
    eventDuplicateProbability: some(0.5) ? rng.uniform(0, 0.3) : 0,
    eventLateProbability: some(0.3) ? rng.uniform(0, 0.1) : 0,
    eventLateMaxSeconds: 300,
    lambdaCrashProbabilityPerCall: some(0.3) ? rng.uniform(0, 0.03) : 0,
    latencySpikes: some(0.2)
      ? windows(2, (start) => ({ start, end: start + rng.uniform(20, 120), factor: rng.uniform(50, 400) }))
      : [],
    throttleBursts: some(0.4)
      ? windows(3, (start) => ({
          start,
          end: start + rng.uniform(10, 180),
          service: rng.pick<ServiceName>(['ECS', 'AutoScaling', 'EC2']),
        }))
      : [],
    agentDisconnectProbability: some(0.3) ? rng.uniform(0, 0.5) : 0,
    agentDisconnectSeconds: [20, 600],
    placementBlocks: some(0.3)
      ? windows(2, (start) => ({ start, end: start + rng.uniform(60, 900), serviceIndex: rng.int(0, 10) }))
      : [],
    standaloneTasks: some(0.4) ? rng.int(1, 4) : 0,
    standaloneTaskSeconds: [30, 1500],
  };
  // Drawn last, so the draws above stay what they were for every seed.
  const controller = rng.pick<NonNullable<ClusterShape['deploymentController']>>([
    'ECS',
    'ECS',
    'CODE_DEPLOY',
    'EXTERNAL',
  ]);
  const withoutHeadroom = some(0.05) ? 1 : 0;
  const headroomLosses = some(0.1)
    ? windows(1, (start) => ({
        start,
        end: some(0.5) ? start + rng.uniform(120, 3600) : Number.POSITIVE_INFINITY,
        serviceIndex: rng.int(0, 10),
      }))
    : [];
  return {
    seed,
    shape: { ...shape, deploymentController: controller, servicesWithoutHeadroom: withoutHeadroom },
    faults: { ...faults, headroomLosses },
  };
}
