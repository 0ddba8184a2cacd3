/**
 * Public surface of the AMI watcher for the construct, the operator CLI and the simulator: the pure decisions, the
 * config contract, the event router and the handler factory. Importing this module creates no AWS client.
 */
export { decidePromotion, formatAge } from './promotion-decision';
export type { AmiMode, PromotionDecision, PromotionInput, SkipCode } from './promotion-decision';
export { decideRefreshEvent, eventKindForStatus, REFRESH_EVENT_KINDS } from './refresh-outcome-decision';
export type { RefreshEventDecision, RefreshEventInput, RefreshEventKind } from './refresh-outcome-decision';
export { planRollback, RECENT_LAUNCH_FAILURE_SECONDS } from './rollback-decision';
export type { RollbackInput, RollbackStep } from './rollback-decision';
export { inMaintenanceWindow, describeWindows } from './maintenance-window';
export { routeWatcherEvent, ACTIVITY_DETAIL_TYPES, PARAMETER_CHANGE_DETAIL_TYPE, sameParameterName } from './events';
export { decideReconcile, recordedApproved, MAX_APPROVED_WRITES, REWRITE_AFTER_MS } from './reconcile-decision';
export type { ReconcileDecision, ReconcileInput } from './reconcile-decision';
export type { WatcherTrigger } from './events';
export { parseWatcherConfig, validateWatcherConfig, DEFAULT_MIN_AMI_AGE_HOURS, WEEKDAYS } from './config';
export type { MaintenanceWindow, WatcherConfig, WatcherConfigInput, WatcherNodeGroup } from './config';
export { bottlerocketEcsParameter, BOTTLEROCKET_ECS_VARIANTS } from './source-parameters';
export type { WatcherDeps, PipelinePayload, PipelineWebhook } from './deps';
export type { AmiWatcherHandler, AmiWatcherResult } from './watcher-handler';
export { createAmiWatcherHandler } from './watcher-handler';
export * from './types';
