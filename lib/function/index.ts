export * from './bundler';
export * from './deterministic-zip';
export * from './nodejs-function';
export * from './props';
export { EventBridgeDeadLetterQueue } from './eventbridge-trigger';
