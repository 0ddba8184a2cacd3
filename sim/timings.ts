/**
 * Every timing, rate and quota of the simulated AWS world, in ONE place. Values are realistic medians / ranges for
 * an ECS-optimized Amazon Linux 2023 fleet in one Region; where AWS publishes a number the comment says where.
 * Scenarios may override fields (chaos, fixtures), never the model code.
 */
export interface LatencySpec {
  /** Median seconds. */
  readonly median: number;
  /** Log-space sigma. */
  readonly sigma: number;
  readonly min: number;
  readonly max: number;
}

export interface BucketSpec {
  /** Burst: bucket capacity (tokens). */
  readonly capacity: number;
  /** Sustained: tokens added per second. */
  readonly refillPerSecond: number;
}

export interface Timings {
  // --- EC2 -------------------------------------------------------------------------------------------------------
  /** RunInstances → EC2 state `running` (ASG may then mark it InService when no launch hook holds it). */
  readonly ec2PendingToRunning: LatencySpec;
  /** `running` → OS booted and ECS agent started (cloud-init, ecs-init). */
  readonly ec2BootToAgent: LatencySpec;
  /** shutting-down → terminated. */
  readonly ec2Shutdown: LatencySpec;
  // --- ECS -------------------------------------------------------------------------------------------------------
  /** Agent start → RegisterContainerInstance accepted (container instance ACTIVE, agent connected). */
  readonly ecsRegistration: LatencySpec;
  /** Delay of the service scheduler reacting to a change (it is event driven with a periodic reconcile). */
  readonly ecsSchedulerReaction: LatencySpec;
  /** Periodic reconcile of every service (retries placements that failed for lack of capacity). */
  readonly ecsSchedulerPeriodSeconds: number;
  /** Placement → RUNNING (image pull from ECR cache, container start). */
  readonly taskStart: LatencySpec;
  /** RUNNING → healthy in the load balancer target group (2 health checks × 10 s interval + jitter). */
  readonly taskHealthy: LatencySpec;
  /** Target group deregistration delay (the ALB default is 300 s; teams running ECS usually lower it to 30–120 s). */
  readonly lbDeregistrationDelaySeconds: number;
  /** SIGTERM → container exited (bounded by the container stopTimeout, 30 s by default in our launch template). */
  readonly containerExit: LatencySpec;
  readonly containerStopTimeoutSeconds: number;
  /** Task slots per instance (m7i.large, 4 service tasks of 0.5 vCPU / 1.5 GiB each leave room for one more). */
  readonly slotsPerInstance: number;
  readonly serviceTasksPerInstance: number;
  /** Tasks per service (services are spread over the cluster; N×4 tasks / this = number of services). */
  readonly tasksPerService: number;
  /** ECS managed draining (NAT) re-checks a draining instance this often before it completes the hook. */
  readonly ecsManagedDrainCheckSeconds: number;
  // --- Auto Scaling ----------------------------------------------------------------------------------------------
  /** Instance refresh evaluation period (replacement batches are decided on this tick). */
  readonly refreshTickSeconds: number;
  /** Desired-capacity reconcile period of the group (scale out / scale in). */
  readonly asgTickSeconds: number;
  /** Refresh fails after this many replacement instances failed to become healthy. */
  readonly refreshMaxFailedReplacements: number;
  // --- EventBridge / CloudTrail / Lambda -------------------------------------------------------------------------
  readonly eventBridgeDelivery: LatencySpec;
  /** CloudTrail "AWS API Call via CloudTrail" events reach EventBridge minutes late (ECM continuations). */
  readonly cloudTrailDelivery: LatencySpec;
  readonly lambdaStartup: LatencySpec;
  readonly lambdaColdStartSeconds: number;
  /** CPU time of a handler outside its AWS calls, per invocation and per call (parsing, decisions, logging). */
  readonly lambdaComputeSeconds: number;
  readonly lambdaComputePerCallSeconds: number;
  readonly lambdaMemoryMb: number;
  readonly lambdaTimeoutSeconds: number;
  readonly lambdaMaxConcurrency: number;
  /** Async retries after a function error: 1 min, then 2 min (Lambda default MaximumRetryAttempts 2). */
  readonly lambdaRetryDelaysSeconds: readonly number[];
  readonly sweepPeriodSeconds: number;
  // --- AWS APIs ---------------------------------------------------------------------------------------------------
  readonly apiLatency: LatencySpec;
  /** ECS buckets are shared per action category (DescribeTasks, ListTasks, DescribeContainerInstances … share one). */
  readonly ecsClusterResourceReadBucket: BucketSpec;
  readonly ecsClusterResourceModifyBucket: BucketSpec;
  readonly ecsServiceReadBucket: BucketSpec;
  readonly autoScalingBucket: BucketSpec;
  readonly ec2Bucket: BucketSpec;
  readonly ssmBucket: BucketSpec;
  /** PutParameter with DataType aws:ec2:image → value visible (SSM validates the AMI asynchronously; assumption). */
  readonly ssmImageValidation: LatencySpec;
  /** SDK standard retry mode: attempts and base delays (JS SDK v3 defaults). */
  readonly sdkMaxAttempts: number;
  readonly sdkBaseDelaySeconds: number;
  readonly sdkThrottlingBaseDelaySeconds: number;
  readonly sdkMaxBackoffSeconds: number;
}

const ms = (median: number, sigma: number, min: number, max: number): LatencySpec => ({ median, sigma, min, max });

export const TIMINGS: Timings = {
  ec2PendingToRunning: ms(12, 0.25, 6, 40),
  ec2BootToAgent: ms(30, 0.3, 15, 120),
  ec2Shutdown: ms(30, 0.3, 10, 120),
  ecsRegistration: ms(4, 0.4, 1, 30),
  ecsSchedulerReaction: ms(2, 0.5, 0.5, 15),
  ecsSchedulerPeriodSeconds: 15,
  taskStart: ms(12, 0.4, 3, 90),
  taskHealthy: ms(25, 0.25, 12, 90),
  lbDeregistrationDelaySeconds: 60,
  containerExit: ms(2, 0.8, 0.2, 30),
  containerStopTimeoutSeconds: 30,
  slotsPerInstance: 5,
  serviceTasksPerInstance: 4,
  tasksPerService: 8,
  ecsManagedDrainCheckSeconds: 30,
  refreshTickSeconds: 15,
  asgTickSeconds: 10,
  refreshMaxFailedReplacements: 3,
  eventBridgeDelivery: ms(0.4, 0.5, 0.05, 10),
  cloudTrailDelivery: ms(120, 0.4, 30, 900),
  lambdaStartup: ms(0.05, 0.5, 0.01, 1),
  lambdaColdStartSeconds: 0.6,
  lambdaComputeSeconds: 0.02,
  lambdaComputePerCallSeconds: 0.002,
  lambdaMemoryMb: 256,
  lambdaTimeoutSeconds: 60,
  lambdaMaxConcurrency: 100,
  lambdaRetryDelaysSeconds: [60, 120],
  sweepPeriodSeconds: 60,
  apiLatency: ms(0.04, 0.5, 0.01, 2),
  // ECS throttling quotas per action category, account-wide per Region (ECS API Reference, "Request throttling":
  // cluster resource read actions 100 burst / 20 per s; cluster resource modify actions 100 / 40; service read
  // actions 100 / 20). Auto Scaling, EC2 and SSM do not publish theirs: the values below are assumptions.
  ecsClusterResourceReadBucket: { capacity: 100, refillPerSecond: 20 },
  ecsClusterResourceModifyBucket: { capacity: 100, refillPerSecond: 40 },
  ecsServiceReadBucket: { capacity: 100, refillPerSecond: 20 },
  autoScalingBucket: { capacity: 40, refillPerSecond: 10 },
  ec2Bucket: { capacity: 100, refillPerSecond: 20 },
  ssmBucket: { capacity: 40, refillPerSecond: 40 },
  // SSM validates aws:ec2:image values asynchronously and publishes no duration: a few seconds is an assumption.
  ssmImageValidation: ms(3, 0.5, 1, 30),
  sdkMaxAttempts: 3,
  sdkBaseDelaySeconds: 0.1,
  sdkThrottlingBaseDelaySeconds: 0.5,
  sdkMaxBackoffSeconds: 20,
};

export function withTimings(overrides: Partial<Timings> = {}): Timings {
  return { ...TIMINGS, ...overrides };
}
