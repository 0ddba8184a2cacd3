/**
 * The Terraform name of every block of the module, explicit and short (`aws_lambda_function.drain_gate`,
 * `aws_sqs_queue.drain_gate_events_dlq`), from its construct path. A block the table does not name fails the build:
 * names are part of the module's interface (state addresses), so each one is chosen, never derived by accident.
 * Renaming one needs a `moved` entry in moved-blocks.ts (the address-stability test checks it).
 */
import { INSTANCE_MANAGED_POLICIES } from '../../lib/defaults';

/** Blocks named by their whole construct path (relative to the stack). */
const BY_PATH: Readonly<Record<string, string>> = {
  'cluster/cluster': 'this',
  'cluster/existing': 'this',
  'capacity-providers': 'this',
  'aws-context/partition': 'current',
  'aws-context/region': 'current',
  'aws-context/caller': 'current',
  'instance-role/partition': 'instance_role',
  'instance-role/trust': 'instance_assume_role',
  'instance-role/role': 'instance',
  'instance-role/profile': 'instance',
  ...Object.fromEntries(
    INSTANCE_MANAGED_POLICIES.map((policy, i) => [
      `instance-role/managed-policy-${i}`,
      policy.includes('ContainerService') ? 'instance_ecs_agent' : 'instance_ssm_core',
    ]),
  ),
  'node_group/ami-parameter': 'source_ami',
  'node_group/approved-ami': 'approved_ami',
  'node_group/previous-ami': 'previous_ami',
  'node_group/launch-template': 'node_group',
  'node_group/auto-scaling-group': 'node_group',
  'node_group/capacity-provider': 'node_group',
  'node_group/launch-hook': 'launch_gate',
  'node_group/terminate-hook': 'drain_gate',
  'notifications/topic': 'notifications',
  'notifications/kms': 'notifications_kms',
  'ami-watcher/paused': 'paused',
  'ami-watcher/denied-amis': 'denied_amis',
  'ami-watcher/state': 'watcher_state',
  'agent-monitor/state': 'agent_monitor_state',
};

/** Construct paths of the four functions → their name, which starts the names of all their blocks. */
const FUNCTIONS: Readonly<Record<string, string>> = {
  'gates/launch-gate': 'launch_gate',
  'gates/drain-gate': 'drain_gate',
  'ami-watcher/ami-watcher': 'ami_watcher',
  'agent-monitor/agent-monitor': 'agent_monitor',
};

/** A function's blocks by their path below the function → suffix of the function's name. */
const FUNCTION_PARTS: Readonly<Record<string, string>> = {
  Function: '',
  Code: '',
  LogGroup: '',
  Role: '',
  RolePolicy: '',
  RolePolicyDocument: '',
  EventInvokeConfig: '',
  AssumeRolePolicy: '_assume_role',
  DeadLetterQueue: '_dlq',
  'EventsDeadLetterQueue/Queue': '_events_dlq',
  'EventsDeadLetterQueue/Policy': '_events_dlq',
  'EventsDeadLetterQueue/PolicyDocument': '_events_dlq',
  // The gates' event buffer (lib/gates/gate-event-buffer.ts): the queue its rules feed and the function's mapping.
  'EventsBuffer/Queue': '_events',
  'EventsBuffer/Policy': '_events',
  'EventsBuffer/PolicyDocument': '_events',
  'EventsBuffer/Mapping': '_events',
  VpcAccess: '_vpc_access',
  KmsAccess: '_kms',
};

const snake = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '_').toLowerCase();

/** The Terraform name of the block at `path` (construct ids below the stack, joined by "/"); throws if it has none. */
export function moduleBlockName(path: string): string {
  if (BY_PATH[path]) return BY_PATH[path];
  for (const [fnPath, fnName] of Object.entries(FUNCTIONS)) {
    if (!path.startsWith(`${fnPath}/`)) continue;
    const part = path.slice(fnPath.length + 1);
    if (FUNCTION_PARTS[part] !== undefined) return `${fnName}${FUNCTION_PARTS[part]}`;
    const trigger = /^Trigger-([^/]+)\/(Rule|Target|Permission)$/.exec(part);
    if (trigger) return `${fnName}_${snake(trigger[1])}`;
  }
  throw new Error(`the module has no name for the block at ${path}: add one to scripts/module/module-names.ts`);
}
