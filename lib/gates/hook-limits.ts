/**
 * Lifecycle-hook limits under the names the gates use; the values and the formula are defined once in
 * lib/aws-limits.ts (no cdktf import, so the Lambdas' config can bundle it).
 */
import { HOOK_GLOBAL_TIMEOUT, HOOK_HEARTBEAT_SECONDS, hookGlobalTimeoutSeconds } from '../aws-limits';

export const HEARTBEAT_TIMEOUT_MIN_SECONDS = HOOK_HEARTBEAT_SECONDS.min;
export const HEARTBEAT_TIMEOUT_MAX_SECONDS = HOOK_HEARTBEAT_SECONDS.max;
export const GLOBAL_TIMEOUT_CAP_SECONDS = HOOK_GLOBAL_TIMEOUT.capSeconds;
export const GLOBAL_TIMEOUT_HEARTBEAT_FACTOR = HOOK_GLOBAL_TIMEOUT.heartbeatFactor;

/** Global timeout of a lifecycle action in seconds: min(48 h, 100 × heartbeat timeout). */
export const lifecycleGlobalTimeoutSeconds = hookGlobalTimeoutSeconds;
