/** Every EventBridge rule of the product as pure data: patterns, schedules, and the values they match. */
export * from './event-types';
export * from './gate-triggers';
export * from './control-plane-triggers';
export * from './schedule';
