/** Lambda entry: launch gate (Pending:Wait → CONTINUE once the instance joined the cluster healthy, or ABANDON). */
import { lazyHandler } from '../shared/lazy-handler';
import { GateDeps, defaultDeps } from './deps';
import { GateHandler, createGateHandler } from './handler';
import { runLaunchGate } from './launch-runner';

export function createLaunchGateHandler(deps: GateDeps): GateHandler {
  return createGateHandler('launch', deps, runLaunchGate);
}

export const handler: GateHandler = lazyHandler(() => createLaunchGateHandler(defaultDeps()));
