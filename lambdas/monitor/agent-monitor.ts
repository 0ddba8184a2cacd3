/**
 * Lambda entry: the agent monitor (EventBridge schedule, default every 15 minutes).
 *
 * Built at module load (the cold start), so a missing or invalid config fails the cold start with a message
 * naming the key, not every invocation. Tests and the simulator import the factory from monitor-handler.ts instead.
 */
import { defaultDeps } from './deps';
import { createAgentMonitorHandler, type AgentMonitorHandler } from './monitor-handler';

export const handler: AgentMonitorHandler = createAgentMonitorHandler(defaultDeps());
