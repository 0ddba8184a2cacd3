/**
 * Public API of the ecs-ami-rollout construct library: `import { EcsAmiRollout } from 'ecs-ami-rollout'`.
 *
 * Named exports only; anything not listed here is internal and may change in any release (see CHANGELOG.md for the
 * version scheme). `__tests__/lib/index.test.ts` holds the list, so a change to the public API is a reviewed change.
 */

// The fleet: cluster, node groups, gates, watcher, monitor, notifications in one construct.
export { EcsAmiRollout } from './ecs-ami-rollout';
export type { EcsAmiRolloutProps, GateOptions, NotificationOptions } from './ecs-ami-rollout';
export { DEFAULTS } from './defaults';
export type { ControlPlaneProps } from './control-plane';
export type { ControlPlaneFunctionOptions } from './function-options';

// Cluster and node groups.
export { EcsCluster } from './ecs-cluster';
export type { EcsClusterProps } from './ecs-cluster';
export { NodeGroup } from './node-group/node-group';
export type { ClusterReference, DrainOwner, NodeGroupProps } from './node-group/node-group';
export type { CapacityProviderStrategyItem } from './capacity-strategy';
export type {
  CapacityProviderOptions,
  ExtraVolumeOptions,
  InstanceRefreshOptions,
  LifecycleHookOptions,
  MixedInstancesOptions,
  NodeGroupOptions,
} from './node-group/node-group-props';
export { EcsInstanceRole } from './node-group/instance-role';
export type { EcsInstanceRoleProps } from './node-group/instance-role';
export { LAUNCH_HOOK_NAME, TERMINATE_HOOK_NAME } from './node-group/auto-scaling-group';

// AMIs.
export { AmiSource } from './ami/ami-source';
export type { AmiBindContext, AmiBinding, CustomAmiOptions, EcsOptimizedAmiOptions } from './ami/ami-source';
export type { AmiMode, OwnedAmi } from './ami/ami-ownership';
export { ecsOptimizedAmi } from './ami/ecs-optimized-parameters';
export type { AmiVariant, Architecture, EcsOptimizedAmiSpec, OsFamily } from './ami/ecs-optimized-parameters';

// The control plane's parts, for composing them yourself.
export { LifecycleGates } from './gates/lifecycle-gates';
export { lifecycleGlobalTimeoutSeconds as hookGlobalTimeoutSeconds } from './gates/hook-limits';
export type { LifecycleGatesProps } from './gates/lifecycle-gates';
export { GATE_DEFAULTS } from './gates/gate-settings';
export { AmiWatcher, AMI_WATCHER_DEFAULTS } from './watcher/ami-watcher';
export type { AmiWatcherOptions, AmiWatcherProps, MaintenanceWindow } from './watcher/ami-watcher';
export { AgentMonitor, AGENT_MONITOR_DEFAULTS } from './monitor/agent-monitor';
export type { AgentMonitorOptions, AgentMonitorProps } from './monitor/agent-monitor';
export { Notifications } from './notifications';
export type { NotificationsProps } from './notifications';

// Lambda functions: NodejsFunction deploys the product's prebuilt bundles, or bundles your own handlers.
export {
  EventBridgeDeadLetterQueue,
  LAMBDA_ARCHITECTURE,
  LAMBDA_HANDLER,
  LAMBDA_RUNTIME,
  NodejsFunction,
} from './function';
export {
  ASYNC_MAXIMUM_RETRY_ATTEMPTS,
  DLQ_MESSAGE_RETENTION_SECONDS,
  LOG_RETENTION_DAYS,
  NODEJS_FUNCTION_DEFAULTS,
} from './function';
export type { Bundling, EventBridgeTriggerOptions, NodejsFunctionProps, TracingMode } from './function';
export { EsbuildBundler, StubBundler } from './function';
export type { BundleRequest, BundleResult, Bundler, EsbuildBundlerOptions } from './function';

// Errors.
export { ValidationError } from './validation';
