/**
 * The AMI watcher's and the agent monitor's EventBridge rules, as pure data (see gate-triggers.ts for why): the
 * constructs deploy them and the simulator evaluates the same patterns.
 */
import { DETAIL_TYPES, EVENT_SOURCES, type TriggerRule } from './event-types';

export interface AmiWatcherTriggerInput {
  readonly schedule: string;
  /** Auto Scaling groups of the watched node groups (a list or one Terraform list token). */
  readonly asgNames: readonly string[];
  /**
   * Parameter names (both forms: with and without the leading slash) whose Parameter Store Change finishes a pending
   * promotion; undefined = no node group in ami mode "auto", so no such rule.
   */
  readonly approvedParameterNames?: readonly string[];
}

export function amiWatcherRules(input: AmiWatcherTriggerInput): TriggerRule[] {
  const rules: TriggerRule[] = [
    { id: 'schedule', description: 'AMI watcher run', scheduleExpression: input.schedule },
    {
      id: 'refresh-events',
      description: 'Instance refresh and launch failures of the node groups → AMI watcher (notify, roll back)',
      eventPattern: {
        source: [EVENT_SOURCES.autoScaling],
        // Refresh events drive notifications, rollback and resumption; a failed launch (the launch gate's ABANDON) is
        // when the watcher counts the evidence against the AMI of its running refresh; a terminated instance may be
        // the last one on a rolled-back AMI (rollback complete).
        'detail-type': [
          { prefix: DETAIL_TYPES.instanceRefreshPrefix },
          DETAIL_TYPES.launchUnsuccessful,
          DETAIL_TYPES.terminateSuccessful,
        ],
        detail: { AutoScalingGroupName: input.asgNames },
      },
    },
  ];
  if (input.approvedParameterNames !== undefined) {
    rules.push({
      id: 'approved-ami-events',
      description:
        'SSM Parameter Store Change of the approved AMI parameters / pause switch → AMI watcher ' +
        '(finish pending promotions)',
      eventPattern: {
        source: [EVENT_SOURCES.ssm],
        'detail-type': [DETAIL_TYPES.parameterStoreChange],
        detail: { name: input.approvedParameterNames },
      },
    });
  }
  return rules;
}

export function agentMonitorRules(input: { readonly schedule: string }): TriggerRule[] {
  return [{ id: 'schedule', description: 'Agent monitor run', scheduleExpression: input.schedule }];
}
