// Public API of the ecs-ami-rollout construct library.
export * from './ecs-ami-rollout';
export * from './ecs-cluster';
export * from './ami/ami-source';
export * from './ami/ami-ownership';
export * from './ami/ecs-optimized-parameters';
export * from './node-group/node-group';
export * from './node-group/node-group-props';
export * from './node-group/instance-role';
export { LAUNCH_HOOK_NAME, TERMINATE_HOOK_NAME } from './node-group/auto-scaling-group';
export * from './gates/lifecycle-gates';
export * from './monitor/agent-monitor';
export * from './notifications';
export * from './function';
export * from './function-options';
export * from './control-plane';
export * from './watcher/ami-watcher';
export * from './validation';
export { DEFAULTS } from './defaults';
