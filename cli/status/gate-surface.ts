/**
 * What the CLI uses from the gates: the pure decision functions, their types and the gates' defaults. Imported from
 * the individual modules rather than the entry files, whose handler factories pull in Powertools and the SDK
 * clients' modules: that would add ~150 ms to every CLI start for code the CLI never runs.
 */
export { decideLaunch } from '../../lambdas/gates/launch-decision';
export {
  HELD_ALERT_INTERVAL_SECONDS,
  decideDrain,
  describeWait,
  serviceNameOf,
} from '../../lambdas/gates/drain-decision';
export { readDrainState } from '../../lambdas/gates/drain-state';
export { LAUNCH_WAIT_STATE, TERMINATE_WAIT_STATE } from '../../lambdas/gates/types';
export type { ContainerInstanceView, Ec2InstanceView, TaskView } from '../../lambdas/gates/types';
export {
  DEFAULT_JOIN_DEADLINE_SECONDS,
  DEFAULT_MAX_DRAIN_SECONDS,
  DEFAULT_STANDALONE_TASK_GRACE_SECONDS,
} from '../../lambdas/shared/config';
