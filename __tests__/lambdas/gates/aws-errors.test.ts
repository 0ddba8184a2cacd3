import { AutoScalingServiceException } from '@aws-sdk/client-auto-scaling';
import { ECSServiceException } from '@aws-sdk/client-ecs';
import {
  RetryLaterError,
  callAws,
  isNoActiveLifecycleActionError,
  isThrottlingError,
} from '../../../lambdas/shared/aws-errors';

const ecsError = (name: string, message = name) =>
  new ECSServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });

describe('aws-errors', () => {
  it.each(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'Throttling'])(
    '%s is throttling',
    (name) => {
      expect(isThrottlingError(ecsError(name))).toBe(true);
    },
  );

  it('"Rate exceeded" messages and HTTP 429 are throttling, other errors are not', () => {
    expect(isThrottlingError(ecsError('ClientException', 'Rate exceeded'))).toBe(true);
    expect(isThrottlingError({ name: 'Whatever', $metadata: { httpStatusCode: 429 } })).toBe(true);
    expect(isThrottlingError(ecsError('AccessDeniedException', 'not authorized'))).toBe(false);
    expect(isThrottlingError(new Error('boom'))).toBe(false);
  });

  it('recognises "No active Lifecycle Action found" as already complete', () => {
    const error = new AutoScalingServiceException({
      name: 'ValidationError',
      $fault: 'client',
      $metadata: {},
      message: 'No active Lifecycle Action found with instance ID i-1234567890abcdef0',
    });
    expect(isNoActiveLifecycleActionError(error)).toBe(true);
    expect(isNoActiveLifecycleActionError(ecsError('ValidationError', 'Hook name is invalid'))).toBe(false);
  });

  it('callAws turns throttling into RetryLaterError and rethrows anything else unchanged', async () => {
    await expect(callAws('ListTasks', () => Promise.reject(ecsError('ThrottlingException')))).rejects.toThrow(
      RetryLaterError,
    );
    await expect(callAws('ListTasks', () => Promise.reject(ecsError('ThrottlingException')))).rejects.toThrow(
      /ListTasks was throttled/,
    );
    const denied = ecsError('AccessDeniedException');
    await expect(callAws('ListTasks', () => Promise.reject(denied))).rejects.toBe(denied);
  });
});
