/**
 * Lambda entry: the AMI watcher. Keeps each node group on the newest ECS-optimized (or custom) AMI.
 *
 * Built at module load (the cold start), so a missing or invalid config fails the cold start with a message
 * naming the key, not every invocation. Tests and the simulator import the factory from watcher-handler.ts instead.
 */
import { defaultDeps } from './deps';
import { createAmiWatcherHandler, type AmiWatcherHandler } from './watcher-handler';

export const handler: AmiWatcherHandler = createAmiWatcherHandler(defaultDeps());
