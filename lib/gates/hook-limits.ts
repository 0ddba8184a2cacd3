/**
 * Lifecycle-hook limits, defined once for the constructs (validation), the module, and the gate Lambdas' config
 * (lambdas/shared/config.ts imports this file; it has no cdktf import, so it bundles into the Lambdas).
 * - HeartbeatTimeout: 30 to 7200 seconds (PutLifecycleHook, API_PutLifecycleHook.html).
 * - Global timeout: "the maximum amount of time that you can keep an instance in a wait state is 48 hours or 100
 *   times the heartbeat timeout, whichever is smaller" ("Amazon EC2 Auto Scaling lifecycle hooks",
 *   lifecycle-hooks-overview.html / "Complete a lifecycle action"). At the global timeout the hook's default result
 *   applies, heartbeats or not.
 */
export const HEARTBEAT_TIMEOUT_MIN_SECONDS = 30;
export const HEARTBEAT_TIMEOUT_MAX_SECONDS = 7200;
export const GLOBAL_TIMEOUT_CAP_SECONDS = 48 * 3600;
export const GLOBAL_TIMEOUT_HEARTBEAT_FACTOR = 100;

/** Global timeout of a lifecycle action in seconds: min(48 h, 100 × heartbeat timeout). */
export function lifecycleGlobalTimeoutSeconds(heartbeatTimeoutSeconds: number): number {
  return Math.min(GLOBAL_TIMEOUT_CAP_SECONDS, GLOBAL_TIMEOUT_HEARTBEAT_FACTOR * heartbeatTimeoutSeconds);
}
