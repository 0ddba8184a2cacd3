/**
 * Public surface of the lifecycle gates for the operator CLI and the simulator: pure decision functions, their
 * types, the event router and the handler factories. Importing this module creates no AWS client.
 */
export { decideLaunch } from './launch-decision';
export type { LaunchDecision, LaunchObservation, LaunchPolicy } from './launch-decision';
export { classifyTask, decideDrain, describeWait, serviceInstability, serviceNameOf } from './drain-decision';
export type {
  ClassifiedTask,
  DrainDecision,
  DrainObservation,
  DrainPolicy,
  DrainWaitSummary,
  TaskKind,
  UnstableService,
} from './drain-decision';
export * from './types';
export {
  ATTRIBUTE_PREFIX,
  DRAIN_STARTED_AT_ATTRIBUTE,
  LAST_HEARTBEAT_AT_ATTRIBUTE,
  STANDALONE_STOPPED_AT_ATTRIBUTE,
  readDrainState,
} from './drain-state';
export { routeEvent } from './events';
export type { GateKind, GateTrigger } from './events';
export type { GateDeps } from './deps';
export type { GateOutcome, OutcomeDecision } from './outcome';
export type { GateHandler, GateResult } from './handler';
export { createLaunchGateHandler } from './launch-gate';
export { createDrainGateHandler } from './drain-gate';
export { parseGateConfig, validateGateConfig, lifecycleGlobalTimeoutSeconds } from '../shared/config';
export type { GateConfig, GateConfigInput, NodeGroupConfig } from '../shared/config';
