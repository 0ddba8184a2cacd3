/**
 * "Notify only when something changes state." Each reportable category gets a fingerprint (a short hash of the exact
 * set that defines it); the previous run's fingerprints are persisted (types.ts MonitorState). A category whose
 * fingerprint appeared or changed produces one notification; one that disappeared produces one "resolved"
 * notification; an unchanged one produces nothing. Pure functions.
 *
 * Drift is fingerprinted by (approved AMI, set of other AMIs in use), not by instance ids, so a rollout that replaces
 * instances one by one does not page on every replacement: you hear when drift appears, when its AMI set changes and
 * when it is gone.
 */
import { createHash } from 'node:crypto';
import type { Notification, NotificationKind, NotificationSeverity } from '../shared/notifier';
import type { AmiUsage, FleetReport, MonitoredInstance, MonitorState, NodeGroupDrift } from './types';

export interface PlannedNotification {
  /** State category the notification reports ('disconnected', 'drift:web' …). */
  readonly category: string;
  readonly notification: Notification;
}

/** Instance ids listed in one notification; the rest become "+N more". */
const MAX_LISTED_INSTANCES = 10;

export function fingerprint(members: readonly string[]): string {
  return createHash('sha256')
    .update([...members].sort().join(','))
    .digest('hex')
    .slice(0, 12);
}

function listInstances(instances: readonly MonitoredInstance[]): string {
  const ids = instances.map((i) => i.ec2InstanceId);
  const shown = ids.slice(0, MAX_LISTED_INSTANCES).join(', ');
  return ids.length > MAX_LISTED_INSTANCES ? `${shown} +${ids.length - MAX_LISTED_INSTANCES} more` : shown;
}

function nodeGroupsOf(instances: readonly MonitoredInstance[]): string {
  return [...new Set(instances.map((i) => i.nodeGroup ?? '(unassigned)'))].sort().join(', ');
}

interface Category {
  readonly key: string;
  readonly kind: NotificationKind;
  readonly nodeGroup?: string;
  /** Undefined when there is nothing to report in this category. */
  readonly fingerprint?: string;
  readonly severity: NotificationSeverity;
  readonly title: string;
  readonly resolvedTitle: string;
  readonly details: Record<string, string | number>;
}

function instanceCategory(
  key: string,
  kind: NotificationKind,
  instances: readonly MonitoredInstance[],
  severity: NotificationSeverity,
  title: string,
  resolvedTitle: string,
  extra: Record<string, string | number> = {},
): Category {
  return {
    key,
    kind,
    fingerprint: instances.length > 0 ? fingerprint(instances.map((i) => i.ec2InstanceId)) : undefined,
    severity,
    title,
    resolvedTitle,
    details:
      instances.length > 0
        ? { instances: instances.length, ids: listInstances(instances), nodeGroups: nodeGroupsOf(instances), ...extra }
        : {},
  };
}

function describeUsage(usage: AmiUsage): string {
  const name = usage.name ? `, ${usage.name}` : '';
  const age = usage.ageDays !== undefined ? `, ${usage.ageDays} d old` : '';
  return `${usage.count} instance(s)${name}${age}`;
}

function driftCategory(drift: NodeGroupDrift): Category {
  const offAmis = drift.amis.filter((usage) => !usage.approved);
  const active = drift.approvedAmiId !== undefined && drift.offApproved > 0;
  // AMI ids come from instance attributes: they become keys through spread and Object.fromEntries (own properties),
  // never through assignment, so an id such as "__proto__" stays a key instead of replacing the prototype (issue 18).
  const details: Record<string, string | number> = active
    ? {
        approvedAmi: drift.approvedAmiName ? `${drift.approvedAmiId} (${drift.approvedAmiName})` : drift.approvedAmiId!,
        offApproved: `${drift.offApproved} of ${drift.instances}`,
        ...Object.fromEntries(offAmis.map((usage) => [usage.amiId, describeUsage(usage)])),
        ...(drift.oldestAmiAgeDays !== undefined ? { oldestAmiAgeDays: drift.oldestAmiAgeDays } : {}),
      }
    : {};
  return {
    key: `drift:${drift.nodeGroup}`,
    kind: 'ami.drift',
    nodeGroup: drift.nodeGroup,
    fingerprint: active
      ? fingerprint([`approved=${drift.approvedAmiId}`, ...offAmis.map((usage) => usage.amiId)])
      : undefined,
    severity: 'info',
    title: `${drift.offApproved} instance(s) not on the approved AMI`,
    resolvedTitle: 'All instances on the approved AMI',
    details,
  };
}

function categories(report: FleetReport): Category[] {
  // Half the fleet (or more) unreachable is an outage, not a flaky instance.
  const disconnectedSeverity: NotificationSeverity =
    report.disconnected.length >= 2 && report.disconnected.length * 2 >= report.instances ? 'critical' : 'warning';
  return [
    instanceCategory(
      'disconnected',
      'agent.disconnected',
      report.disconnected,
      disconnectedSeverity,
      `${report.disconnected.length} ACTIVE container agent(s) disconnected`,
      'All container agents connected again',
    ),
    instanceCategory(
      'updateFailed',
      'agent.updateFailed',
      report.updateFailed,
      'warning',
      `${report.updateFailed.length} container agent update(s) FAILED`,
      'No container agent update in FAILED state',
      report.updateFailed.length > 0
        ? { agentVersions: [...new Set(report.updateFailed.map((i) => i.agentVersion ?? '?'))].join(', ') }
        : {},
    ),
    instanceCategory(
      'impaired',
      'instance.impaired',
      report.impaired,
      'warning',
      `${report.impaired.length} container instance(s) IMPAIRED`,
      'No container instance IMPAIRED',
    ),
    ...report.drift.map(driftCategory),
  ];
}

/** The fingerprint a state records for `category` (own keys only: the state is JSON read back from SSM). */
function recorded(fingerprints: Readonly<Record<string, string>> | undefined, category: string): string | undefined {
  return fingerprints !== undefined && Object.hasOwn(fingerprints, category) ? fingerprints[category] : undefined;
}

/** Notifications for categories whose fingerprint changed, and the state that records what they report. */
export function planNotifications(
  report: FleetReport,
  previous: MonitorState | undefined,
  cluster: string,
  now: Date,
): { notifications: PlannedNotification[]; nextState: MonitorState } {
  const after: Record<string, string> = {};
  const notifications: PlannedNotification[] = [];
  for (const category of categories(report)) {
    const old = recorded(previous?.f, category.key);
    if (category.fingerprint !== undefined) after[category.key] = category.fingerprint;
    if (category.fingerprint === old) continue;
    const resolved = category.fingerprint === undefined;
    notifications.push({
      category: category.key,
      notification: {
        kind: category.kind,
        severity: resolved ? 'info' : category.severity,
        cluster,
        nodeGroup: category.nodeGroup,
        title: resolved ? category.resolvedTitle : category.title,
        details: category.details,
        dedupeKey: `${cluster}:${category.key}:${resolved ? `resolved-${old}` : category.fingerprint}`,
      },
    });
  }
  // A category only in the previous state (a node group removed from the config) is dropped without a notification.
  return { notifications, nextState: { v: 1, at: now.toISOString(), f: after } };
}

/**
 * The state to persist once notifications were attempted: a category whose notification could not be delivered keeps
 * its previous fingerprint, so the next run tries again instead of losing the alert.
 */
export function stateAfterDelivery(
  previous: MonitorState | undefined,
  next: MonitorState,
  undeliveredCategories: readonly string[],
): MonitorState {
  const f: Record<string, string> = { ...next.f };
  for (const category of undeliveredCategories) {
    const old = recorded(previous?.f, category);
    if (old === undefined) delete f[category];
    else f[category] = old;
  }
  return { ...next, f };
}

/** True when both states record the same fingerprints (the timestamp is ignored). */
export function sameFingerprints(a: MonitorState | undefined, b: MonitorState): boolean {
  const keys = new Set([...Object.keys(a?.f ?? {}), ...Object.keys(b.f)]);
  return [...keys].every((key) => recorded(a?.f, key) === recorded(b.f, key));
}
