import type { Bundling, TracingMode } from './function/props';

/**
 * Settings shared by every Lambda function of the product (gates, watcher, monitor). Security teams that must pass
 * CKV_AWS_50 / CKV_AWS_173 / CKV_AWS_158 set them once here.
 */
export interface ControlPlaneFunctionOptions {
  /**
   * X-Ray tracing mode of every function.
   * @default 'PassThrough'
   */
  readonly tracingMode?: TracingMode;
  /**
   * Customer managed KMS key for the functions' environment variables.
   * @default the AWS managed key aws/lambda
   */
  readonly environmentKmsKeyArn?: string;
  /**
   * KMS key for the functions' log groups (its key policy must allow CloudWatch Logs).
   * @default CloudWatch Logs' default encryption
   */
  readonly logGroupKmsKeyArn?: string;
  /**
   * Log retention of every function, in days (a value CloudWatch accepts).
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Ship source maps in the functions' ZIPs and enable them (`NODE_OPTIONS=--enable-source-maps`): stack traces then
   * name the TypeScript sources, at the cost of init time and archive size.
   * @default false
   */
  readonly sourceMap?: boolean;
  /**
   * Where the functions' code comes from: `prebuilt` (the bundles shipped in the package) or `source` (esbuild at
   * synth time; needs a source checkout and esbuild — for contributors).
   * @default the prebuilt bundles; in a source checkout whose bundles are older than the sources, `source`
   */
  readonly bundling?: Bundling;
  /**
   * Reserved concurrency of every function (gates, AMI watcher, agent monitor). Unset, the functions share the
   * account's unreserved concurrency. AWS keeps at least 100 executions unreserved per account and Region, so any
   * reservation fails to apply in an account whose concurrency limit leaves less room ("PutFunctionConcurrency",
   * https://docs.aws.amazon.com/lambda/latest/api/API_PutFunctionConcurrency.html; new accounts may start at a limit
   * of 10). The gates take their events in batches from an SQS queue, so their correctness never depends on it.
   * @default none (unreserved)
   */
  readonly reservedConcurrency?: number;
}

/** `reservedConcurrentExecutions` of a function for the given options: -1 (Terraform's "unreserved") when unset. */
export function reservedConcurrencyOf(options: ControlPlaneFunctionOptions | undefined): number {
  return options?.reservedConcurrency ?? -1;
}
