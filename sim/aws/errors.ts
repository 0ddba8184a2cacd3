/**
 * AWS errors as the SDK v3 raises them: `name` (the error code), `message`, `$fault`, `$metadata`, and `$retryable`
 * for throttling. Modeled exceptions are built from the SDK's own classes when the client package exports one
 * (ECS `InvalidParameterException`, SSM `ParameterNotFound` …) so `instanceof` checks behave as in production.
 */
import * as autoScalingSdk from '@aws-sdk/client-auto-scaling';
import * as ec2Sdk from '@aws-sdk/client-ec2';
import * as ecsSdk from '@aws-sdk/client-ecs';
import * as ssmSdk from '@aws-sdk/client-ssm';

export type ServiceName = 'ECS' | 'AutoScaling' | 'EC2' | 'SSM';

const SDK_MODULES: Record<ServiceName, Record<string, unknown>> = {
  ECS: ecsSdk as unknown as Record<string, unknown>,
  AutoScaling: autoScalingSdk as unknown as Record<string, unknown>,
  EC2: ec2Sdk as unknown as Record<string, unknown>,
  SSM: ssmSdk as unknown as Record<string, unknown>,
};

let requestCounter = 0;

function metadata(httpStatusCode: number): Record<string, unknown> {
  requestCounter++;
  return {
    httpStatusCode,
    requestId: `sim-${requestCounter.toString(16).padStart(8, '0')}`,
    attempts: 1,
    totalRetryDelay: 0,
  };
}

export interface SimAwsError extends Error {
  $fault: 'client' | 'server';
  $metadata: Record<string, unknown>;
  $retryable?: { throttling: boolean };
}

export function awsError(service: ServiceName, code: string, message: string, httpStatusCode = 400): SimAwsError {
  const ctor = SDK_MODULES[service][code];
  let error: SimAwsError;
  if (typeof ctor === 'function' && /Exception$|Fault$|^ParameterNotFound$/.test(code)) {
    const Modeled = ctor as new (options: Record<string, unknown>) => SimAwsError;
    error = new Modeled({ message, $metadata: metadata(httpStatusCode) });
  } else {
    // Unmodeled codes (Auto Scaling's ValidationError, EC2's InvalidInstanceID.NotFound, ThrottlingException):
    // the SDK throws a generic ServiceException whose name is the code.
    error = Object.assign(new Error(message), { $fault: 'client' as const, $metadata: metadata(httpStatusCode) });
    error.name = code;
  }
  error.$fault = httpStatusCode >= 500 ? 'server' : 'client';
  return error;
}

/** What the SDK throws once standard retry mode gave up on a throttled call. */
export function throttlingError(service: ServiceName, attempts: number): SimAwsError {
  const code =
    service === 'EC2' ? 'RequestLimitExceeded' : service === 'AutoScaling' ? 'Throttling' : 'ThrottlingException';
  const error = awsError(service, code, 'Rate exceeded');
  error.$retryable = { throttling: true };
  error.$metadata.attempts = attempts;
  return error;
}

export function isSimThrottling(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as SimAwsError).$retryable?.throttling === true;
}
