/**
 * Classification of AWS SDK v3 errors. The gates only ever look at `name`, `message`, `$retryable` and
 * `$metadata.httpStatusCode`, so fake clients (aws-sdk-client-mock, the rollout simulator) can throw plain objects.
 */

/** Error codes AWS uses for throttling across Auto Scaling (Query), ECS (JSON 1.1), EC2 and SSM. */
const THROTTLING_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException',
  'SlowDown',
]);

interface AwsErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number };
}

function asAwsError(error: unknown): AwsErrorLike {
  return typeof error === 'object' && error !== null ? (error as AwsErrorLike) : {};
}

/** Name (error code) of an SDK error; `code` covers hand-written fakes. */
export function errorName(error: unknown): string {
  const e = asAwsError(error);
  if (typeof e.name === 'string' && e.name !== 'Error') return e.name;
  if (typeof e.code === 'string') return e.code;
  return typeof e.name === 'string' ? e.name : 'UnknownError';
}

export function errorMessage(error: unknown): string {
  const message = asAwsError(error).message;
  return typeof message === 'string' ? message : String(error);
}

/**
 * True when AWS asked us to slow down. The SDK already retried with `retryMode: 'standard'`; the gate then gives up
 * for this trigger and lets the next event or sweep re-check ("retry later"): a throttled read must never become a
 * decision.
 */
export function isThrottlingError(error: unknown): boolean {
  const e = asAwsError(error);
  if (THROTTLING_CODES.has(errorName(error))) return true;
  if (e.$retryable?.throttling === true) return true;
  if (e.$metadata?.httpStatusCode === 429) return true;
  return /rate exceeded|throttl/i.test(errorMessage(error));
}

/**
 * CompleteLifecycleAction / RecordLifecycleActionHeartbeat answer `ValidationError: No active Lifecycle Action found
 * with instance ID i-…` when the action was already completed (by a duplicate invocation, an operator, or the hook
 * timeout). For a gate that means "already done", never a failure.
 */
export function isNoActiveLifecycleActionError(error: unknown): boolean {
  return errorName(error) === 'ValidationError' && /no active lifecycle action/i.test(errorMessage(error));
}

/** EC2 DescribeInstances for an id that no longer exists (terminated long ago). */
export function isInstanceNotFoundError(error: unknown): boolean {
  return errorName(error) === 'InvalidInstanceID.NotFound';
}

/** Raised by adapters when a read was throttled; handlers turn it into a RETRY_LATER outcome. */
export class RetryLaterError extends Error {
  constructor(
    readonly operation: string,
    readonly cause: unknown,
  ) {
    super(`${operation} was throttled (${errorName(cause)}): retry on the next trigger`);
    this.name = 'RetryLaterError';
  }
}

/** Runs one AWS call; throttling becomes RetryLaterError, everything else propagates unchanged. */
export async function callAws<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isThrottlingError(error)) throw new RetryLaterError(operation, error);
    throw error;
  }
}
