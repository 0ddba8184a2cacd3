/**
 * The module's lifecycle gates: the LifecycleGates construct, fed the iterated node group and a lister that renders
 * per-node-group lists (GATE_CONFIG, IAM resources, event patterns) as `for` expressions over the node-group map.
 * Resource names get the module instance's prefix, so several instances can share an account and region.
 */
import { Construct } from 'constructs';
import { MapTerraformIterator, TerraformVariable } from 'cdktf';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { AwsContext } from '../aws-context';
import { NodejsFunction } from '../function';
import { LifecycleGates } from '../gates/lifecycle-gates';
import { ClusterReference, NodeGroup } from '../node-group/node-group';
import { Notifications } from '../notifications';
import { forEachNodeGroup, hcl } from './expressions';

export interface ModuleGatesProps {
  readonly cluster: ClusterReference;
  readonly nodeGroup: NodeGroup;
  readonly nodeGroups: MapTerraformIterator;
  readonly awsContext: AwsContext;
  readonly vars: Record<string, TerraformVariable>;
  /** Where the gates report (as the EcsAmiRollout construct wires them). */
  readonly notifications: Notifications;
}

export interface ModuleGates {
  readonly gates: LifecycleGates;
}

/** `local.name_prefix`-based names for a gate function and its companions (log group, DLQs, rules). */
export function prefixNames(fn: NodejsFunction): void {
  const base = `\${local.name_prefix}-${fn.node.id}`;
  fn.lambdaFunction.functionName = base;
  for (const child of fn.node.findAll()) {
    const id = child.node.id;
    const parent = child.node.scope?.node.id ?? '';
    if (child instanceof CloudwatchLogGroup) child.name = `/aws/lambda/${base}`;
    else if (child instanceof SqsQueue)
      child.name =
        parent === 'EventsDeadLetterQueue'
          ? `${base}-events-dlq`
          : parent === 'EventsBuffer'
            ? `${base}-events`
            : `${base}-dlq`;
    else if (child instanceof CloudwatchEventRule) child.name = `${base}-${parent.replace(/^Trigger-/, '')}`;
    else if (id === 'Function' && child !== fn.lambdaFunction)
      throw new Error(`unexpected function ${child.node.path}`);
  }
  fn.lambdaFunction.addOverride('lifecycle.precondition', [
    {
      condition: '${length(local.name_prefix) <= 32}',
      error_message:
        'Invalid name_prefix: the Lambda, queue and rule names need a prefix of ' +
        'at most 32 characters, and cluster_name is longer. Fix: set name_prefix.',
    },
  ]);
}

export function createModuleGates(scope: Construct, props: ModuleGatesProps): ModuleGates {
  const vars = props.vars;
  const gates = new LifecycleGates(scope, 'gates', {
    cluster: props.cluster,
    nodeGroups: [props.nodeGroup],
    awsContext: props.awsContext,
    listNodeGroups: forEachNodeGroup(props.nodeGroups),
    // Variable references (not raw `${}` text): GATE_CONFIG renders them inside jsonencode().
    joinDeadlineSeconds: vars.join_deadline_seconds.numberValue,
    maxDrainSeconds: vars.max_drain_seconds.numberValue,
    standaloneTaskGraceSeconds: vars.standalone_task_grace_seconds.numberValue,
    requireHealthyInstance: vars.require_healthy_instance.booleanValue as unknown as boolean,
    sweepSchedule: vars.sweep_schedule.stringValue,
    logRetentionDays: vars.log_retention_days.numberValue,
    notifications: props.notifications,
  });
  for (const fn of gates.gates()) prefixNames(fn);
  const drainGate = gates.drainGate;
  if (!drainGate) throw new Error('LifecycleGates created no drain gate for the module');
  // drain_owner "ecs": ECS managed draining owns draining; the drain gate stays deployed but never runs.
  for (const rule of drainGate.node
    .findAll()
    .filter((c): c is CloudwatchEventRule => c instanceof CloudwatchEventRule)) {
    rule.state = hcl('var.drain_owner == "lambda" ? "ENABLED" : "DISABLED"');
  }
  return { gates };
}
