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
 * It also records the names of the services whose tasks were on the instance when the drain began, so an environment
 * that did not list them can check those services' stability once the instance is empty without listing its tasks.
 *
 * Attribute values allow letters, digits, `-_.@/\: ` and up to 128 characters ("Amazon ECS attributes",
 * API_Attribute.html): ISO-8601 timestamps fit; service names (letters, digits, `-_`) are joined by spaces, and a list
 * that does not fit is not recorded (the gate then lists the instance's stopped tasks instead).
 */
import { ContainerInstanceView, DrainState } from './types';

export const ATTRIBUTE_PREFIX = 'ecs-ami-rollout.';
export const DRAIN_STARTED_AT_ATTRIBUTE = `${ATTRIBUTE_PREFIX}drain-started-at`;
export const LAST_HEARTBEAT_AT_ATTRIBUTE = `${ATTRIBUTE_PREFIX}heartbeat-at`;
export const HELD_ALERTED_AT_ATTRIBUTE = `${ATTRIBUTE_PREFIX}held-alerted-at`;
export const DRAIN_SERVICES_ATTRIBUTE = `${ATTRIBUTE_PREFIX}drain-services`;

const ATTRIBUTE_VALUE_MAX = 128;
const SERVICE_NAME = /^[A-Za-z0-9_-]+$/;
/** The recorded value of a drain whose instance ran no service task (an empty value is not allowed). */
const NO_SERVICES = '-';

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
    services: parseServices(attributes[DRAIN_SERVICES_ATTRIBUTE]),
  };
}

function parseServices(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  if (value === NO_SERVICES) return [];
  const names = value.split(' ');
  return names.every((name) => SERVICE_NAME.test(name)) ? names : undefined;
}

/** The attribute value recording these service names; undefined when they do not fit (or are not valid names). */
export function servicesAttributeValue(names: readonly string[]): string | undefined {
  if (names.length === 0) return NO_SERVICES;
  if (!names.every((name) => SERVICE_NAME.test(name))) return undefined;
  const value = [...names].sort().join(' ');
  return value.length <= ATTRIBUTE_VALUE_MAX ? value : undefined;
}

/** Attributes to write for the given state changes (only the keys that are set). */
export function drainStateAttributes(changes: DrainState): Record<string, string> {
  const attributes: Record<string, string> = {};
  if (changes.drainStartedAt) attributes[DRAIN_STARTED_AT_ATTRIBUTE] = changes.drainStartedAt.toISOString();
  if (changes.lastHeartbeatAt) attributes[LAST_HEARTBEAT_AT_ATTRIBUTE] = changes.lastHeartbeatAt.toISOString();
  if (changes.heldAlertedAt) attributes[HELD_ALERTED_AT_ATTRIBUTE] = changes.heldAlertedAt.toISOString();
  const services = changes.services === undefined ? undefined : servicesAttributeValue(changes.services);
  if (services !== undefined) attributes[DRAIN_SERVICES_ATTRIBUTE] = services;
  return attributes;
}
