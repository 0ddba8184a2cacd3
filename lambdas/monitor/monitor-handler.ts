/**
 * The agent monitor's handler factory (entry: agent-monitor.ts; EventBridge schedule, default every 15 minutes).
 *
 * Thin handler: check the event → read the fleet (adapters) → decide (pure) → start agent updates → notify changes →
 * persist the state digest → publish metrics → one structured log line. Throttling ends the run as "retry later" (the
 * next schedule re-reads); other errors are logged and rethrown so the function's Errors metric shows them.
 */
import { z } from 'zod';
import { errorMessage, errorName, RetryLaterError } from '../shared/aws-errors';
import { loadFleetSnapshot, loadState, saveState, startAgentUpdate, type AgentUpdateOutcome } from './adapters';
import { decide, type MonitorDecision } from './agent-decision';
import { type AgentMonitorDeps } from './deps';
import { sameFingerprints, stateAfterDelivery, type PlannedNotification } from './notifications';

export interface AgentMonitorResult {
  /** Why the event was ignored (foreign event). */
  readonly ignored?: string;
  /** A read was throttled: nothing was decided, the next run re-checks. */
  readonly retryLater: boolean;
  readonly instances: number;
  readonly agentUpdates: ReadonlyArray<{ readonly ec2InstanceId: string; readonly outcome: AgentUpdateOutcome }>;
  readonly notificationsDelivered: number;
  readonly notificationsUndelivered: number;
  readonly stateSaved: boolean;
}

export type AgentMonitorHandler = (event: unknown) => Promise<AgentMonitorResult>;

const EMPTY_RESULT = {
  retryLater: false,
  instances: 0,
  agentUpdates: [],
  notificationsDelivered: 0,
  notificationsUndelivered: 0,
  stateSaved: false,
} as const;

const scheduledEventSchema = z
  .object({ source: z.literal('aws.events'), 'detail-type': z.literal('Scheduled Event') })
  .passthrough();

/** Scheduled events and manual invocations (`{}` or no payload) run the monitor; anything else is ignored. */
export function routeMonitorEvent(event: unknown): { run: true } | { run: false; reason: string } {
  if (event === undefined || event === null) return { run: true };
  if (typeof event === 'object' && !Array.isArray(event) && Object.keys(event).length === 0) return { run: true };
  if (scheduledEventSchema.safeParse(event).success) return { run: true };
  const detailType =
    typeof event === 'object' && !Array.isArray(event) ? (event as Record<string, unknown>)['detail-type'] : undefined;
  // Only a string detail-type is quoted back: a hostile value (e.g. an object whose toString is not a function) must
  // not make the ignore path itself throw.
  const shown =
    typeof detailType === 'string'
      ? detailType
      : Array.isArray(event)
        ? 'array'
        : typeof detailType === 'undefined'
          ? typeof event
          : typeof detailType;
  return { run: false, reason: `not a scheduled event (detail-type: ${shown})` };
}

async function startUpdates(
  deps: AgentMonitorDeps,
  decision: MonitorDecision,
): Promise<AgentMonitorResult['agentUpdates']> {
  const results: Array<{ ec2InstanceId: string; outcome: AgentUpdateOutcome }> = [];
  // Sequential on purpose: at most maxAgentUpdatesPerRun (default 1) calls.
  for (const target of decision.updatePlan.targets) {
    const result = await startAgentUpdate(deps.ecs, deps.config.clusterArn, target.arn);
    const fields = { ec2InstanceId: target.ec2InstanceId, agentVersion: target.agentVersion, ...result };
    if (result.outcome === 'failed' || result.outcome === 'throttled') deps.logger.warn('agent update failed', fields);
    else deps.logger.info('agent update', fields);
    results.push({ ec2InstanceId: target.ec2InstanceId, outcome: result.outcome });
  }
  return results;
}

/** Sends every planned notification; returns the categories that no channel accepted (retried next run). */
async function sendNotifications(deps: AgentMonitorDeps, planned: readonly PlannedNotification[]) {
  const undelivered: string[] = [];
  let delivered = 0;
  for (const { category, notification } of planned) {
    const result = await deps.notifier.notify(notification);
    const channelFailed = result.sns === 'failed' || result.webhook === 'failed' || result.webhook === 'refused';
    if (!result.delivered && !result.deduped && channelFailed) undelivered.push(category);
    else delivered += 1;
  }
  return { delivered, undelivered };
}

export function createAgentMonitorHandler(deps: AgentMonitorDeps): AgentMonitorHandler {
  return async (event) => {
    const route = routeMonitorEvent(event);
    if (!route.run) {
      deps.logger.info('event ignored', { monitor: 'agent', reason: route.reason });
      return { ...EMPTY_RESULT, ignored: route.reason };
    }
    const { config, logger } = deps;
    const now = deps.now();
    try {
      const snapshot = await loadFleetSnapshot(deps, config.clusterName, config.nodeGroups, now);
      const previous = await loadState(deps.ssm, config.stateParameterName, logger);
      const decision = decide(snapshot, previous, config, now);
      const agentUpdates = await startUpdates(deps, decision);
      const { delivered, undelivered } = await sendNotifications(deps, decision.notifications);
      const finalState = stateAfterDelivery(previous, decision.nextState, undelivered);
      const stateSaved = !sameFingerprints(previous, finalState);
      if (stateSaved) await saveState(deps.ssm, config.stateParameterName, finalState);

      const { report, updatePlan } = decision;
      const offApproved = report.drift.reduce((sum, drift) => sum + drift.offApproved, 0);
      deps.metrics.publish(config.clusterName, {
        DisconnectedAgents: report.disconnected.length,
        ImpairedInstances: report.impaired.length,
        InstancesOffApprovedAmi: offApproved,
        AgentsBehindNewest: report.agentsBehind.length,
        AgentUpdateStatusFailed: report.updateFailed.length,
        AgentUpdatesStarted: agentUpdates.filter((u) => u.outcome === 'started').length,
        AgentUpdatesFailed: agentUpdates.filter((u) => u.outcome === 'failed' || u.outcome === 'throttled').length,
      });
      logger.info('agent monitor decision', {
        cluster: config.clusterName,
        instances: report.instances,
        disconnected: report.disconnected.map((i) => i.ec2InstanceId),
        updateFailed: report.updateFailed.map((i) => i.ec2InstanceId),
        impaired: report.impaired.map((i) => i.ec2InstanceId),
        updating: report.updating.length,
        newestAgentVersion: report.newestAgentVersion,
        agentsBehind: report.agentsBehind.length,
        drift: report.drift.map((d) => ({
          nodeGroup: d.nodeGroup,
          approvedAmiId: d.approvedAmiId,
          offApproved: d.offApproved,
          instances: d.instances,
          amis: d.amis.map((a) => `${a.amiId}:${a.count}`),
          oldestAmiAgeDays: d.oldestAmiAgeDays,
        })),
        unassigned: report.unassigned,
        agentUpdatesBlockedBy: updatePlan.blockedBy,
        agentUpdatesSkipped: updatePlan.skipped,
        agentUpdates,
        notifications: decision.notifications.map((n) => n.notification.dedupeKey),
        notificationsUndelivered: undelivered,
        stateSaved,
      });
      return {
        retryLater: false,
        instances: report.instances,
        agentUpdates,
        notificationsDelivered: delivered,
        notificationsUndelivered: undelivered.length,
        stateSaved,
      };
    } catch (error) {
      if (error instanceof RetryLaterError) {
        logger.warn('throttled: retry on the next run', {
          monitor: 'agent',
          operation: error.operation,
          error: errorName(error.cause),
        });
        return { ...EMPTY_RESULT, retryLater: true };
      }
      logger.error('agent monitor run failed', {
        monitor: 'agent',
        error: errorName(error),
        message: errorMessage(error),
      });
      throw error;
    }
  };
}
