/** Lambda entry: drain gate (Terminating:Wait → CONTINUE once the instance's tasks moved and services are stable). */
import { lazyHandler } from '../shared/lazy-handler';
import { GateDeps, defaultDeps } from './deps';
import { runDrainGate } from './drain-runner';
import { GateHandler, createGateHandler } from './handler';

export function createDrainGateHandler(deps: GateDeps): GateHandler {
  return createGateHandler('drain', deps, runDrainGate);
}

export const handler: GateHandler = lazyHandler(() => createDrainGateHandler(defaultDeps()));
