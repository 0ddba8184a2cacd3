/**
 * Pure decisions of the agent monitor: fleet snapshot + previous state + config + clock → report, agent updates to
 * start, notifications to send and the next state. No I/O here (see adapters.ts and monitor-handler.ts).
 */
import type { MonitorConfig } from './config';
import { agentUpdateSupport, compareAgentVersions, newestAgentVersion } from './agent-support';
import { planNotifications, type PlannedNotification } from './notifications';
import type { AmiUsage, FleetReport, FleetSnapshot, MonitoredInstance, MonitorState, NodeGroupDrift } from './types';

export type { AmiUsage, FleetReport, NodeGroupDrift } from './types';

/** agentUpdateStatus values meaning "an update is under way": no further update may start anywhere in the cluster. */
export const UPDATE_IN_PROGRESS_STATUSES: ReadonlySet<string> = new Set(['PENDING', 'STAGING', 'STAGED', 'UPDATING']);
const DAY_MS = 86_400_000;

export interface SkippedUpdate {
  readonly ec2InstanceId: string;
  readonly reason: string;
}

export interface AgentUpdatePlan {
  /** Container instances to call UpdateContainerAgent on, at most maxAgentUpdatesPerRun. */
  readonly targets: readonly MonitoredInstance[];
  /** Why no update may start this run (disabled, a disconnected agent, an update in progress). */
  readonly blockedBy?: string;
  readonly skipped: readonly SkippedUpdate[];
}

export interface MonitorDecision {
  readonly report: FleetReport;
  readonly updatePlan: AgentUpdatePlan;
  readonly notifications: readonly PlannedNotification[];
  /** State to persist if every notification is delivered (see stateAfterDelivery). */
  readonly nextState: MonitorState;
}

function ageDays(creationDate: string | undefined, now: Date): number | undefined {
  const created = creationDate ? Date.parse(creationDate) : Number.NaN;
  return Number.isNaN(created) ? undefined : Math.max(0, Math.floor((now.getTime() - created) / DAY_MS));
}

function driftOf(
  nodeGroup: string,
  members: readonly MonitoredInstance[],
  snapshot: FleetSnapshot,
  now: Date,
): NodeGroupDrift {
  const approvedAmiId = snapshot.approvedAmis.get(nodeGroup);
  const counts = new Map<string, number>();
  for (const instance of members) {
    const amiId = instance.amiId ?? 'unknown';
    counts.set(amiId, (counts.get(amiId) ?? 0) + 1);
  }
  const amis: AmiUsage[] = [...counts.entries()]
    .map(([amiId, count]) => ({
      amiId,
      name: snapshot.amis.get(amiId)?.name,
      count,
      approved: amiId === approvedAmiId,
      ageDays: ageDays(snapshot.amis.get(amiId)?.creationDate, now),
    }))
    .sort((a, b) => b.count - a.count || a.amiId.localeCompare(b.amiId));
  const oldest = amis
    .filter((usage) => usage.ageDays !== undefined)
    .reduce<AmiUsage | undefined>(
      (acc, usage) => (acc === undefined || usage.ageDays! > acc.ageDays! ? usage : acc),
      undefined,
    );
  return {
    nodeGroup,
    approvedAmiId,
    approvedAmiName: approvedAmiId ? snapshot.amis.get(approvedAmiId)?.name : undefined,
    instances: members.length,
    offApproved: approvedAmiId ? members.filter((instance) => instance.amiId !== approvedAmiId).length : 0,
    amis,
    oldestAmiId: oldest?.amiId,
    oldestAmiAgeDays: oldest?.ageDays,
  };
}

/** What is wrong (or merely notable) in the fleet right now. */
export function buildReport(snapshot: FleetSnapshot, config: MonitorConfig, now: Date): FleetReport {
  const instances = [...snapshot.instances].sort((a, b) => a.ec2InstanceId.localeCompare(b.ec2InstanceId));
  const newest = newestAgentVersion(instances);
  return {
    instances: instances.length,
    disconnected: instances.filter((i) => i.status === 'ACTIVE' && i.agentConnected === false),
    updateFailed: instances.filter((i) => i.agentUpdateStatus === 'FAILED'),
    impaired: instances.filter((i) => i.healthStatus === 'IMPAIRED'),
    updating: instances.filter(
      (i) => i.agentUpdateStatus !== undefined && UPDATE_IN_PROGRESS_STATUSES.has(i.agentUpdateStatus),
    ),
    newestAgentVersion: newest,
    agentsBehind: newest
      ? instances.filter((i) => i.agentVersion && compareAgentVersions(i.agentVersion, newest) < 0)
      : [],
    drift: config.nodeGroups.map((group) =>
      driftOf(
        group.name,
        instances.filter((i) => i.nodeGroup === group.name),
        snapshot,
        now,
      ),
    ),
    unassigned: instances.filter((i) => i.nodeGroup === undefined).length,
  };
}

/**
 * UpdateContainerAgent restarts the agent, so updates are serialized cluster-wide: none starts while any agent is
 * disconnected (the fleet is already degraded) or any update is under way, and at most `maxAgentUpdatesPerRun` start
 * per run. Only agents behind the newest version seen in the fleet are updated; an instance whose last update FAILED is
 * not retried automatically (it is reported instead, so a broken update cannot loop every 15 minutes).
 */
export function planAgentUpdates(snapshot: FleetSnapshot, report: FleetReport, config: MonitorConfig): AgentUpdatePlan {
  if (!config.updateAgents) return { targets: [], blockedBy: 'updateAgents is disabled', skipped: [] };
  const anyDisconnected = snapshot.instances.filter((i) => i.agentConnected === false);
  if (anyDisconnected.length > 0) {
    return { targets: [], blockedBy: `${anyDisconnected.length} agent(s) disconnected`, skipped: [] };
  }
  if (report.updating.length > 0) {
    return { targets: [], blockedBy: `${report.updating.length} agent update(s) in progress`, skipped: [] };
  }
  const targets: MonitoredInstance[] = [];
  const skipped: SkippedUpdate[] = [];
  for (const instance of report.agentsBehind) {
    const support = agentUpdateSupport(instance, instance.amiId ? snapshot.amis.get(instance.amiId) : undefined);
    if (instance.status !== 'ACTIVE') {
      skipped.push({ ec2InstanceId: instance.ec2InstanceId, reason: `status ${instance.status}` });
    } else if (instance.agentUpdateStatus === 'FAILED') {
      skipped.push({
        ec2InstanceId: instance.ec2InstanceId,
        reason: 'previous agent update FAILED: not retried automatically',
      });
    } else if (!support.supported) {
      skipped.push({ ec2InstanceId: instance.ec2InstanceId, reason: support.reason });
    } else if (targets.length < config.maxAgentUpdatesPerRun) {
      targets.push(instance);
    }
  }
  return { targets, skipped };
}

export function decide(
  snapshot: FleetSnapshot,
  previous: MonitorState | undefined,
  config: MonitorConfig,
  now: Date,
): MonitorDecision {
  const report = buildReport(snapshot, config, now);
  const { notifications, nextState } = planNotifications(report, previous, config.clusterName, now);
  return { report, updatePlan: planAgentUpdates(snapshot, report, config), notifications, nextState };
}
