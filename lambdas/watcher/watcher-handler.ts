/**
 * The AMI watcher's handler factory (entry: ami-watcher.ts).
 * Keeps each node group on the newest ECS-optimized (or custom) AMI.
 *
 * Thin handler: route the event (schedule / refresh event / Auto Scaling activity / SSM parameter change / legacy SNS;
 * foreign events are logged once and ignored) → read the shared switches (pause, deny list) → per node group: load
 * observed state through adapters, decide with pure functions (*-decision.ts), act, and log one
 * structured line per decision. Throttling → "retry later" for that node group; other errors are logged, the other
 * node groups still run, then the error is rethrown.
 */
import { RetryLaterError, errorMessage, errorName } from '../shared/aws-errors';
import { readDenyList, readGroupState, readPause, writeGroupState } from './adapters/ssm';
import { type WatcherDeps } from './deps';
import { routeWatcherEvent, type WatcherTrigger } from './events';
import { evaluateEach, type GroupOutcome } from './outcome';
import { handleRefreshOutcome } from './refresh-runner';
import { sameState } from './state';
import { sweepGroup, type SweepContext } from './sweep';

export interface AmiWatcherResult {
  readonly trigger: WatcherTrigger['kind'];
  /** Why the event was ignored (foreign / unknown / SNS trigger off). */
  readonly ignored?: string;
  /** At least one node group was throttled: the next event or schedule re-checks. */
  readonly retryLater: boolean;
  readonly outcomes: readonly GroupOutcome[];
}

export type AmiWatcherHandler = (event: unknown) => Promise<AmiWatcherResult>;

async function readSwitches(deps: WatcherDeps): Promise<SweepContext> {
  const [pause, denyList] = await Promise.all([
    readPause(deps.ssm, deps.config.pauseParameterName),
    readDenyList(deps.ssm, deps.config.denyListParameterName),
  ]);
  return { pause, denyList: denyList.amiIds };
}

async function run(deps: WatcherDeps, trigger: Exclude<WatcherTrigger, { kind: 'ignore' }>): Promise<GroupOutcome[]> {
  const ctx = await readSwitches(deps);
  switch (trigger.kind) {
    case 'sweep':
      return evaluateEach(deps, 'sweep', deps.config.nodeGroups, (group) => sweepGroup(deps, group, ctx, 'full'));
    case 'activity':
      return evaluateEach(deps, 'activity', [trigger.group], (group) =>
        sweepGroup(deps, group, ctx, trigger.launchFailed ? 'activity' : 'rollback'),
      );
    case 'resume': {
      const scope = trigger.pauseSwitch ? 'unpause' : 'resume';
      return evaluateEach(deps, 'resume', trigger.groups, (group) => sweepGroup(deps, group, ctx, scope));
    }
    case 'refresh':
      return evaluateEach(deps, 'refresh', [trigger.group], async (group) => {
        const loaded = await readGroupState(deps.ssm, group.stateParameterName);
        if (loaded.problem)
          deps.logger.warn('ami watcher state reset', { nodeGroup: group.name, problem: loaded.problem });
        const occurrence = { kind: trigger.event, refreshId: trigger.refreshId, checkpoint: trigger.checkpoint };
        const step = await handleRefreshOutcome(deps, group, loaded.state, occurrence, ctx.pause);
        const actions = [...step.actions];
        if (!sameState(step.persisted ?? loaded.state, step.state)) {
          await writeGroupState(deps.ssm, group.stateParameterName, step.state);
          actions.push(`PutParameter:${group.stateParameterName}`);
        }
        return {
          nodeGroup: group.name,
          mode: group.mode,
          decision: step.decision,
          reason: `${trigger.event} ${trigger.refreshId}: ${step.reason}`,
          actions,
        };
      });
  }
}

export function createAmiWatcherHandler(deps: WatcherDeps): AmiWatcherHandler {
  return async (event) => {
    const trigger = routeWatcherEvent(event, deps.config);
    if (trigger.kind === 'ignore') {
      deps.logger.info('event ignored', { watcher: 'ami', reason: trigger.reason });
      return { trigger: trigger.kind, ignored: trigger.reason, retryLater: false, outcomes: [] };
    }
    try {
      const outcomes = await run(deps, trigger);
      return { trigger: trigger.kind, retryLater: outcomes.some((o) => o.decision === 'RETRY_LATER'), outcomes };
    } catch (error) {
      if (error instanceof RetryLaterError) {
        // The shared switches could not be read: decide nothing now, the next trigger re-checks.
        deps.logger.warn('throttled: retry on the next trigger', {
          watcher: 'ami',
          trigger: trigger.kind,
          operation: error.operation,
          error: errorName(error.cause),
        });
        return { trigger: trigger.kind, retryLater: true, outcomes: [] };
      }
      deps.logger.error('ami watcher run failed', {
        watcher: 'ami',
        trigger: trigger.kind,
        error: errorMessage(error),
      });
      throw error;
    }
  };
}
