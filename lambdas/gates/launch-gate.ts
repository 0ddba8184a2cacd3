/**
 * Lambda entry: launch gate (Pending:Wait → CONTINUE once the instance joined the cluster healthy, or ABANDON).
 *
 * Built at module load (the cold start), so a missing or invalid config fails the cold start with a message
 * naming the key, not every invocation. Tests and the simulator import the factory from gate-handlers.ts instead.
 */
import { defaultDeps } from './deps';
import { createLaunchGateHandler } from './gate-handlers';
import { type GateHandler } from './handler';

export const handler: GateHandler = createLaunchGateHandler(defaultDeps());
