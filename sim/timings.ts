/**
 * Every timing, rate and quota of the simulated AWS world, in ONE place. Each value either cites where AWS (or the
 * SDK, or our own construct defaults) states it, or says **assumption** — AWS publishes no number — and then has a
 * sensitivity run (halved / doubled) in docs/aws-contract.md "Sensitivity runs for assumptions". Values marked
 * *scenario* describe the modelled workload (cluster shape, load-balancer settings a team chooses), not AWS.
 * Scenarios may override fields (chaos, fixtures, sensitivity runs), never the model code.
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
  /** Async throttle retries: 1 s doubling up to this cap. */
  readonly lambdaThrottleRetryMaxSeconds: number;
  /** Async queue: events older than this are discarded (MaximumEventAgeInSeconds default). */
  readonly lambdaMaximumEventAgeSeconds: number;
  /** EventBridge → target retry policy (RetryPolicy defaults) and the first backoff of its exponential retries. */
  readonly eventBridgeMaximumRetryAttempts: number;
  readonly eventBridgeMaximumEventAgeSeconds: number;
  readonly eventBridgeRetryBaseSeconds: number;
  readonly sweepPeriodSeconds: number;
  /** SQS event source mapping: a poller's long poll returns this long after a message becomes visible. */
  readonly sqsPollerReaction: LatencySpec;
  /** SQS event source mapping: first wait before retrying a throttled batch (doubling while messages are invisible). */
  readonly sqsThrottleRetryBaseSeconds: number;
  // --- AWS APIs ---------------------------------------------------------------------------------------------------
  readonly apiLatency: LatencySpec;
  /** ECS buckets are shared per action category (DescribeTasks, ListTasks, DescribeContainerInstances … share one). */
  readonly ecsClusterResourceReadBucket: BucketSpec;
  readonly ecsClusterResourceModifyBucket: BucketSpec;
  readonly ecsServiceReadBucket: BucketSpec;
  /** One bucket shared by every Amazon EC2 Auto Scaling action. */
  readonly autoScalingBucket: BucketSpec;
  /** EC2, one bucket per action: non-mutating, unfiltered-and-unpaginated non-mutating, mutating. */
  readonly ec2ReadBucket: BucketSpec;
  readonly ec2UnfilteredReadBucket: BucketSpec;
  readonly ec2MutatingBucket: BucketSpec;
  readonly ssmBucket: BucketSpec;
  /** PutParameter with DataType aws:ec2:image → value visible (SSM validates the AMI asynchronously; assumption). */
  readonly ssmImageValidation: LatencySpec;
  /** SDK standard retry mode: attempts and base delays (JS SDK v3 defaults); boto3 legacy mode for CDK's Python. */
  readonly sdkMaxAttempts: number;
  readonly sdkBaseDelaySeconds: number;
  readonly sdkThrottlingBaseDelaySeconds: number;
  readonly sdkMaxBackoffSeconds: number;
  readonly boto3LegacyMaxAttempts: number;
  // --- CloudFormation (reference strategies) ----------------------------------------------------------------------
  /** `running` → the user data's `cfn-signal` reaches CloudFormation (yum install aws-cfn-bootstrap, then signal). */
  readonly cfnSignalAfterRunning: LatencySpec;
}

const ms = (median: number, sigma: number, min: number, max: number): LatencySpec => ({ median, sigma, min, max });

// Sources cited below (titles and addresses):
// [ECS-THR] "Request throttling for the Amazon ECS API", https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html
// [EC2-THR] "Request throttling for the Amazon EC2 API", https://docs.aws.amazon.com/ec2/latest/devguide/ec2-api-throttling.html
// [ASG-THR] AWS Knowledge Center, "My Auto Scaling API calls are throttled", https://repost.aws/knowledge-center/autoscaling-api-calls-throttled
// [SSM-Q] "AWS Systems Manager endpoints and quotas", https://docs.aws.amazon.com/general/latest/gr/ssm.html
// [L-ASYNC] "How Lambda handles errors and retries with asynchronous invocation", https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html
// [L-CFG] "Configuring error handling for Lambda asynchronous invocation", https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-configuring.html
// [L-Q] "Lambda quotas", https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
// [EB-RETRY] "How EventBridge retries delivering events", https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html
// [SDK-RETRY] "Retry behavior" (AWS SDKs and Tools Reference Guide), https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
//   and the JS SDK v3 constants in @smithy/core (submodules/retry): DEFAULT_RETRY_DELAY_BASE 100 ms,
//   THROTTLING_RETRY_DELAY_BASE 500 ms, MAXIMUM_RETRY_DELAY 20 s
// [BOTO3] "Retries" (Boto3 guide), https://docs.aws.amazon.com/boto3/latest/guide/retries.html
// [ECS-AGENT] "Amazon ECS container agent configuration" (ECS_CONTAINER_STOP_TIMEOUT default 30 s), https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html
// [ELB-TG] "Target groups for your Application Load Balancers" (deregistration delay default 300 s), https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html
export const TIMINGS: Timings = {
  // Assumption: AWS publishes no launch, boot, registration or shutdown durations.
  ec2PendingToRunning: ms(12, 0.25, 6, 40),
  ec2BootToAgent: ms(30, 0.3, 15, 120),
  ec2Shutdown: ms(30, 0.3, 10, 120),
  ecsRegistration: ms(4, 0.4, 1, 30),
  // Assumption: the service scheduler's reaction time and reconcile period are not published.
  ecsSchedulerReaction: ms(2, 0.5, 0.5, 15),
  ecsSchedulerPeriodSeconds: 15,
  // Assumption (image pull from a warm cache, container start).
  taskStart: ms(12, 0.4, 3, 90),
  // Scenario: a target group with a 10 s health-check interval and 2 healthy checks (ALB defaults are 30 s / 5).
  taskHealthy: ms(25, 0.25, 12, 90),
  // Scenario: teams running ECS lower the ALB default of 300 s [ELB-TG]; 60 s modelled.
  lbDeregistrationDelaySeconds: 60,
  // Assumption for the exit after SIGTERM; the bound is ECS's default stop timeout, 30 s [ECS-AGENT].
  containerExit: ms(2, 0.8, 0.2, 30),
  containerStopTimeoutSeconds: 30,
  // Scenario: cluster shape.
  slotsPerInstance: 5,
  serviceTasksPerInstance: 4,
  tasksPerService: 8,
  // Assumption: how often ECS managed draining re-checks a draining instance is not published.
  ecsManagedDrainCheckSeconds: 30,
  // Assumption: Auto Scaling's internal evaluation periods are not published.
  refreshTickSeconds: 15,
  asgTickSeconds: 10,
  // Assumption (see the Auto Scaling rows of docs/aws-contract.md).
  refreshMaxFailedReplacements: 3,
  // Assumption: EventBridge publishes no delivery latency for AWS service events.
  eventBridgeDelivery: ms(0.4, 0.5, 0.05, 10),
  // Assumption: CloudTrail documents ~5 min for log files, nothing for its EventBridge events.
  cloudTrailDelivery: ms(120, 0.4, 30, 900),
  // Assumption: start-up, cold start and compute time are workload-dependent and not published.
  lambdaStartup: ms(0.05, 0.5, 0.01, 1),
  lambdaColdStartSeconds: 0.6,
  lambdaComputeSeconds: 0.02,
  lambdaComputePerCallSeconds: 0.002,
  // Our construct's defaults (lib/function/props.ts NODEJS_FUNCTION_DEFAULTS).
  lambdaMemoryMb: 256,
  lambdaTimeoutSeconds: 60,
  // Account concurrency quota, default 1,000 [L-Q] (functions without a reservation share it).
  lambdaMaxConcurrency: 1000,
  // [L-ASYNC]: two retries after a function error, 1 min then 2 min.
  lambdaRetryDelaysSeconds: [60, 120],
  // [L-ASYNC]: throttled events are retried "from 1 second … to a maximum of 5 minutes", for up to 6 hours [L-CFG].
  lambdaThrottleRetryMaxSeconds: 300,
  lambdaMaximumEventAgeSeconds: 21600,
  // [EB-RETRY]: by default 185 attempts over 24 hours, "exponential back off and jitter". The base delay is not
  // published (assumption: 1 s).
  eventBridgeMaximumRetryAttempts: 185,
  eventBridgeMaximumEventAgeSeconds: 86400,
  eventBridgeRetryBaseSeconds: 1,
  // Our construct's default schedule, rate(1 minute).
  sweepPeriodSeconds: 60,
  // Assumption: AWS documents long polling ("Lambda uses long polling to poll a queue") and its 20 s maximum wait, not
  // how soon a waiting poll returns a new message; a fraction of a second.
  sqsPollerReaction: ms(0.2, 0.5, 0.02, 2),
  // Assumption: "Lambda gradually backs off retries" of a throttled batch until the visibility timeout; start and
  // factor unpublished: 1 s, doubling.
  sqsThrottleRetryBaseSeconds: 1,
  // Assumption: API latency (in-Region, small responses).
  apiLatency: ms(0.04, 0.5, 0.01, 2),
  // [ECS-THR], account-wide per Region, shared per category: cluster resource read 100 burst / 20 per s; cluster
  // resource modify 100 / 40; service read 100 / 20.
  ecsClusterResourceReadBucket: { capacity: 100, refillPerSecond: 20 },
  ecsClusterResourceModifyBucket: { capacity: 100, refillPerSecond: 40 },
  ecsServiceReadBucket: { capacity: 100, refillPerSecond: 20 },
  // [ASG-THR]: one shared bucket for every Auto Scaling action; its size is not published (assumption).
  autoScalingBucket: { capacity: 40, refillPerSecond: 10 },
  // [EC2-THR]: per action; non-mutating 100 / 20, unfiltered and unpaginated non-mutating 50 / 10, mutating 50 / 5.
  ec2ReadBucket: { capacity: 100, refillPerSecond: 20 },
  ec2UnfilteredReadBucket: { capacity: 50, refillPerSecond: 10 },
  ec2MutatingBucket: { capacity: 50, refillPerSecond: 5 },
  // [SSM-Q]: default throughput 40 TPS shared by GetParameter/GetParameters/GetParametersByPath. The burst is not
  // published (assumption: one second's worth); PutParameter's quota is not published (assumption: the same size).
  ssmBucket: { capacity: 40, refillPerSecond: 40 },
  // Assumption: SSM validates aws:ec2:image values asynchronously and says only "up to a few minutes".
  ssmImageValidation: ms(3, 0.5, 1, 30),
  // [SDK-RETRY]: standard mode, 3 attempts, exponential backoff with full jitter, 20 s cap; base 100 ms (500 ms for
  // throttling errors) in the JS SDK v3.
  sdkMaxAttempts: 3,
  sdkBaseDelaySeconds: 0.1,
  sdkThrottlingBaseDelaySeconds: 0.5,
  sdkMaxBackoffSeconds: 20,
  // [BOTO3]: legacy mode (boto3's default, also in the Lambda Python runtime): 5 attempts, "exponential backoff by a
  // base factor of 2" — botocore's legacy policy waits rand(0, 1) × 2^(attempt − 1) s.
  boto3LegacyMaxAttempts: 5,
  // Assumption: cloud-init runs the user data about when the agent starts; yum install adds ~15 s.
  cfnSignalAfterRunning: ms(45, 0.3, 20, 180),
};

export function withTimings(overrides: Partial<Timings> = {}): Timings {
  return { ...TIMINGS, ...overrides };
}
