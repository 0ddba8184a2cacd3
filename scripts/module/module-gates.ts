/**
 * The module's lifecycle gates: the LifecycleGates construct, fed the iterated node group and a lister that renders
 * per-node-group lists (GATE_CONFIG, IAM resources, event patterns) as `for` expressions over the node-group map.
 * The drain gate is a toggle: deployed only while it owns draining (`drain_owner = "lambda"`).
 */
import { Construct } from 'constructs';
import { MapTerraformIterator, TerraformVariable } from 'cdktf';
import { AwsContext } from '../../lib/aws-context';
import { LifecycleGates } from '../../lib/gates/lifecycle-gates';
import { nameAfterCluster } from '../../lib/naming';
import { ClusterReference, NodeGroup } from '../../lib/node-group/node-group';
import { Notifications } from '../../lib/notifications';
import { SETTING_RULES, settingValidation } from '../../lib/setting-rules';
import { forEachNodeGroup, hcl } from './expressions';
import { addModuleFunctionSettings } from './module-functions';
import { toggle } from './toggles';
import { modulePrefix } from './expressions';

export interface ModuleGatesProps {
  readonly cluster: ClusterReference;
  readonly nodeGroup: NodeGroup;
  readonly nodeGroups: MapTerraformIterator;
  readonly awsContext: AwsContext;
  readonly vars: Record<string, TerraformVariable>;
  /** Where the gates report (as the EcsAmiRollout construct wires them). */
  readonly notifications: Notifications;
}

/** The condition under which the drain gate exists. */
export const DRAIN_GATE_ENABLED = 'var.drain_owner == "lambda"';

export function createModuleGates(scope: Construct, props: ModuleGatesProps): LifecycleGates {
  const vars = props.vars;
  const gates = new LifecycleGates(scope, 'gates', {
    cluster: props.cluster,
    nodeGroups: [props.nodeGroup],
    awsContext: props.awsContext,
    listNodeGroups: forEachNodeGroup(props.nodeGroups),
    // Variable references (not raw `${}` text): GATE_CONFIG renders them inside jsonencode().
    joinDeadlineSeconds: vars.join_deadline_seconds.numberValue,
    maxDrainSeconds: vars.max_drain_seconds.numberValue,
    // null unless the operator opted in: GATE_CONFIG then carries "forceDrainAfterSeconds" = null (never forced).
    forceDrainAfterSeconds: vars.force_drain_after_seconds.numberValue,
    standaloneTaskGraceSeconds: vars.standalone_task_grace_seconds.numberValue,
    requireHealthyInstance: vars.require_healthy_instance.booleanValue as unknown as boolean,
    sweepSchedule: vars.sweep_schedule.stringValue,
    logRetentionDays: vars.log_retention_days.numberValue,
    notifications: props.notifications,
  });
  for (const fn of gates.gates()) {
    nameAfterCluster(fn, hcl('local.name_prefix'), modulePrefix);
    addModuleFunctionSettings(fn, props.awsContext);
  }
  const prefix = settingValidation(SETTING_RULES.name_prefix);
  gates.launchGate.lambdaFunction.addOverride('lifecycle.precondition', [
    {
      condition: `\${${prefix.condition.replace(/var\.name_prefix/g, 'local.name_prefix')}}`,
      error_message: prefix.message,
    },
  ]);
  if (!gates.drainGate) throw new Error('LifecycleGates created no drain gate for the module');
  toggle(gates.drainGate, DRAIN_GATE_ENABLED);
  return gates;
}
