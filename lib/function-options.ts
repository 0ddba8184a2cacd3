import { TracingMode } from './function/props';

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
}
