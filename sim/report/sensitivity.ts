/**
 * Sensitivity runs for the assumptions of sim/timings.ts: each assumed value halved and doubled, the bench scenario
 * re-run over several seeds, and the headline figures (mean and p90 makespan, mean makespan / T1 — each seed against
 * its own T1 under the same assumption) compared with the value as modelled. docs/aws-contract.md "Sensitivity runs
 * for assumptions" is produced from `npm run sensitivity`.
 */
import type { StrategyId } from '../strategies';
import type { BucketSpec, LatencySpec, Timings } from '../timings';
import { TIMINGS } from '../timings';
import { aggregateSeeds, benchSeeds, type MultiSeedRow } from './multi-seed';

export interface Assumption {
  /** Short name used in the docs table. */
  readonly name: string;
  /** The timings it scales (latencies: median, min and max; buckets: capacity and refill; numbers: the value). */
  readonly keys: readonly (keyof Timings)[];
  /** Strategy and size whose figures it can move. */
  readonly strategy: StrategyId;
  readonly instances: number;
}

const LAMBDA_KEYS: (keyof Timings)[] = [
  'lambdaStartup',
  'lambdaColdStartSeconds',
  'lambdaComputeSeconds',
  'lambdaComputePerCallSeconds',
];
const BOOT_KEYS: (keyof Timings)[] = ['ec2PendingToRunning', 'ec2BootToAgent', 'ecsRegistration'];

/** Every assumption of sim/timings.ts the bench exercises, with the run that shows its effect. */
export const ASSUMPTIONS: readonly Assumption[] = [
  { name: 'EventBridge delivery latency', keys: ['eventBridgeDelivery'], strategy: 'US', instances: 100 },
  { name: 'API latency', keys: ['apiLatency'], strategy: 'US', instances: 100 },
  { name: 'Lambda start-up, cold start, compute', keys: LAMBDA_KEYS, strategy: 'US', instances: 100 },
  { name: 'EC2 boot → ECS registration', keys: BOOT_KEYS, strategy: 'US', instances: 100 },
  { name: 'EC2 shutdown', keys: ['ec2Shutdown'], strategy: 'US', instances: 100 },
  { name: 'task start', keys: ['taskStart'], strategy: 'US', instances: 100 },
  { name: 'container exit after SIGTERM', keys: ['containerExit'], strategy: 'US', instances: 100 },
  {
    name: 'ECS scheduler reaction and period',
    keys: ['ecsSchedulerReaction', 'ecsSchedulerPeriodSeconds'],
    strategy: 'US',
    instances: 100,
  },
  {
    name: 'Auto Scaling evaluation periods',
    keys: ['refreshTickSeconds', 'asgTickSeconds'],
    strategy: 'US',
    instances: 100,
  },
  { name: 'Auto Scaling API bucket (shared)', keys: ['autoScalingBucket'], strategy: 'US', instances: 1000 },
  {
    name: 'ECS managed draining re-check period',
    keys: ['ecsManagedDrainCheckSeconds'],
    strategy: 'NAT',
    instances: 100,
  },
  { name: 'cfn-signal after running (ECM)', keys: ['cfnSignalAfterRunning'], strategy: 'ECM', instances: 10 },
  { name: 'CloudTrail → EventBridge delay (ECM)', keys: ['cloudTrailDelivery'], strategy: 'ECM', instances: 10 },
];

function isLatency(value: unknown): value is LatencySpec {
  return typeof value === 'object' && value !== null && 'median' in value;
}

function isBucket(value: unknown): value is BucketSpec {
  return typeof value === 'object' && value !== null && 'refillPerSecond' in value;
}

/** The timings with the assumption's values multiplied by `factor`. */
export function scaled(assumption: Assumption, factor: number, base: Timings = TIMINGS): Partial<Timings> {
  const result: Record<string, unknown> = {};
  for (const key of assumption.keys) {
    const value = base[key];
    if (isLatency(value))
      result[key] = { ...value, median: value.median * factor, min: value.min * factor, max: value.max * factor };
    else if (isBucket(value))
      result[key] = { capacity: value.capacity * factor, refillPerSecond: value.refillPerSecond * factor };
    else if (typeof value === 'number') result[key] = value * factor;
    else throw new Error(`cannot scale timings.${String(key)}`);
  }
  return result as Partial<Timings>;
}

export interface SensitivityResult {
  readonly assumption: Assumption;
  readonly halved: MultiSeedRow;
  readonly modelled: MultiSeedRow;
  readonly doubled: MultiSeedRow;
}

/** Runs one assumption halved, as modelled and doubled over `seeds`. */
export async function runSensitivity(assumption: Assumption, seeds: readonly number[]): Promise<SensitivityResult> {
  const run = async (factor: number): Promise<MultiSeedRow> => {
    const timings = factor === 1 ? undefined : scaled(assumption, factor);
    const perSeed = await benchSeeds(assumption.strategy, [assumption.instances], seeds, undefined, timings);
    return aggregateSeeds(perSeed.map((rows) => rows[String(assumption.instances)]));
  };
  return { assumption, halved: await run(0.5), modelled: await run(1), doubled: await run(2) };
}
