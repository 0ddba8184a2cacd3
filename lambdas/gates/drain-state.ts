/**
 * State across invocations, without a database.
 *
 * The drain gate must remember when a drain started (max drain time, standalone-task grace), when it last sent a
 * lifecycle heartbeat and when it last reported a held drain. It stores these as ECS custom attributes on the
 * container instance being drained:
 *   - they live exactly as long as the thing they describe (deregistering the instance removes them),
 *   - DescribeContainerInstances — which every check calls anyway — returns them, so reading state costs nothing,
 *   - writing is batched: PutAttributes takes 10 attributes of any instances of the cluster per call,
 *   - Lambda restarts, concurrent invocations and the scheduled sweep all see the same values.
 * Instances that never registered have nothing to drain (the gate continues at once), so they need no state.
 *
 * The launch gate needs no write at all: the wait starts at the EC2 LaunchTime (DescribeInstances, which it reads for
 * the AMI check anyway), or at the lifecycle event's time when EC2 is not consulted.
 *
 * Attribute values allow letters, digits, `-_.@/\: ` and up to 128 characters: ISO-8601 timestamps fit.
 */
import { ContainerInstanceView, DrainState } from './types';

export const ATTRIBUTE_PREFIX = 'ecs-ami-rollout.';
export const DRAIN_STARTED_AT_ATTRIBUTE = `${ATTRIBUTE_PREFIX}drain-started-at`;
export const LAST_HEARTBEAT_AT_ATTRIBUTE = `${ATTRIBUTE_PREFIX}heartbeat-at`;
export const HELD_ALERTED_AT_ATTRIBUTE = `${ATTRIBUTE_PREFIX}held-alerted-at`;

function parseTime(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  // A hand-edited or corrupt value is ignored: the gate then re-records it (drain start) or heartbeats at once.
  return Number.isNaN(time.getTime()) ? undefined : time;
}

export function readDrainState(containerInstance: ContainerInstanceView | undefined): DrainState {
  const attributes = containerInstance?.attributes ?? {};
  return {
    drainStartedAt: parseTime(attributes[DRAIN_STARTED_AT_ATTRIBUTE]),
    lastHeartbeatAt: parseTime(attributes[LAST_HEARTBEAT_AT_ATTRIBUTE]),
    heldAlertedAt: parseTime(attributes[HELD_ALERTED_AT_ATTRIBUTE]),
  };
}

/** Attributes to write for the given state changes (only the keys that are set). */
export function drainStateAttributes(changes: DrainState): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (changes.drainStartedAt) attributes[DRAIN_STARTED_AT_ATTRIBUTE] = changes.drainStartedAt.toISOString();
  if (changes.lastHeartbeatAt) attributes[LAST_HEARTBEAT_AT_ATTRIBUTE] = changes.lastHeartbeatAt.toISOString();
  if (changes.heldAlertedAt) attributes[HELD_ALERTED_AT_ATTRIBUTE] = changes.heldAlertedAt.toISOString();
  return attributes;
}
