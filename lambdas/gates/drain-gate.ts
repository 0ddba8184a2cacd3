/**
 * Lambda entry: drain gate (Terminating:Wait → CONTINUE once the instance's tasks moved and services are stable).
 *
 * Built at module load (the cold start), so a missing or invalid config fails the cold start with a message
 * naming the key, not every invocation. Tests and the simulator import the factory from gate-handlers.ts instead.
 */
import { defaultDeps } from './deps';
import { createDrainGateHandler } from './gate-handlers';
import { type GateHandler } from './handler';

export const handler: GateHandler = createDrainGateHandler(defaultDeps());
