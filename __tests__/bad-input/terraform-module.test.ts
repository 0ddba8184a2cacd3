/**
 * Bad-input matrix, the plain Terraform module's root variables, with REAL `terraform plan` runs (offline):
 * - several bad variables at once stop the plan before any resource is planned, each reported with its name, its value
 *   (Terraform prints it) and the module's message — the rule's own text from lib/setting-rules.ts and the node group
 *   rules (the node_groups attributes themselves: __tests__/module/module-plan.test.ts);
 * - checks across variables (a variable's validation may not read another before Terraform 1.9) are preconditions:
 *   one plan with several broken ones reports each, naming the node group where one is involved.
 */
import * as path from 'node:path';
import { GATE_GROUP_RULES } from '../../lib/gate-node-group-rules';
import { FORCE_AFTER_MAX_DRAIN, SETTING_RULES, settingValidation } from '../../lib/setting-rules';
import { STRATEGY_RULES } from '../../lib/capacity-strategy';
import { RESOLVED_NODE_GROUP_RULES } from '../../lib/node-group/node-group-rules';
import { moduleMessage } from '../../lib/rules';
import { expectTerraformFailure, TERRAFORM_TEST_TIMEOUT_MS, TerraformCommandError } from '../support/terraform-harness';

jest.setTimeout(TERRAFORM_TEST_TIMEOUT_MS);

const MODULE = path.join(__dirname, '..', '..', 'terraform-module');
const NETWORK = { subnet_ids: ['subnet-0000000000000000a'], security_group_ids: ['sg-0000000000000000a'] };
const flat = (failure: TerraformCommandError) => failure.output.replace(/[│╷╵]/g, ' ').replace(/\s+/g, ' ');

const BAD_VARIABLES: { variable: keyof typeof SETTING_RULES; value: unknown }[] = [
  { variable: 'ami_mode', value: 'manual' },
  { variable: 'drain_owner', value: 'both' },
  { variable: 'log_retention_days', value: 10 },
  { variable: 'sweep_schedule', value: 'rate(1 minutes)' },
  // five cron fields: EventBridge needs six, with "?" in day-of-month or day-of-week
  { variable: 'ami_watcher_schedule', value: 'cron(0 3 * * *)' },
  { variable: 'name_prefix', value: 'a-name-prefix-longer-than-32-characters' },
  { variable: 'force_drain_after_seconds', value: 30 },
];

/** A default strategy whose weights are all 0: ECS could place no task with it. */
const ZERO_WEIGHTS = [{ capacity_provider: 'x86', weight: 0 }];

describe('terraform-module: bad root variables', () => {
  let failure: TerraformCommandError;

  beforeAll(async () => {
    // GIVEN a valid cluster and node group plus bad cluster-level variables, in one var file
    const vars = {
      cluster_name: 'prod',
      ...NETWORK,
      node_groups: { x86: {} },
      default_capacity_provider_strategy: ZERO_WEIGHTS,
      ...Object.fromEntries(BAD_VARIABLES.map((bad) => [bad.variable, bad.value])),
    };
    // WHEN planned (validate skipped: it does not evaluate variable values)
    failure = await expectTerraformFailure(MODULE, { vars, validate: false });
  });

  test('terraform plan fails (exit ≠ 0, no plan to apply): nothing can be deployed', () => {
    // Terraform 1.11 may still print the partial plan it built ("planned the following actions, but then encountered
    // a problem"); a failed plan writes no plan file, so there is nothing to apply.
    expect(failure.stage).toBe('plan');
    expect(failure.exitCode).not.toBe(0);
    expect(failure.output).not.toMatch(/Saved the plan to/);
  });

  test('reports a default strategy whose weights are all 0', () => {
    const weights = STRATEGY_RULES.find((rule) => rule.reason.includes('weight above 0'))!;
    expect(flat(failure)).toContain(moduleMessage('default_capacity_provider_strategy', weights.reason, weights.fix));
  });

  test.each(BAD_VARIABLES.map((bad) => [bad.variable, bad] as const))(
    'reports %s with its value and the fix, in the same run',
    (_name, bad) => {
      const output = flat(failure);
      expect(output).toContain(`Invalid value for variable`);
      expect(output).toContain(settingValidation(SETTING_RULES[bad.variable]).message);
      // Terraform names the variable and prints the rejected value in the diagnostic
      expect(output).toContain(`var.${bad.variable} is ${JSON.stringify(bad.value)}`);
    },
  );
});

describe('terraform-module: checks across variables', () => {
  let failure: TerraformCommandError;

  beforeAll(async () => {
    // GIVEN valid variables that break the rules between them: a sweep slower than half a heartbeat (node group
    // "slow"), a maximum drain above a terminate hook's global timeout (node group "short"), and a node group without
    // any subnet; and an opt-in force both below the maximum drain and above "short"'s global timeout
    const vars = {
      cluster_name: 'prod',
      security_group_ids: NETWORK.security_group_ids,
      sweep_schedule: 'rate(10 minutes)',
      max_drain_seconds: 40000,
      force_drain_after_seconds: 35000,
      node_groups: {
        slow: { subnet_ids: NETWORK.subnet_ids, launch_hook: { heartbeat_timeout: 900 } },
        short: { subnet_ids: NETWORK.subnet_ids, terminate_hook: { heartbeat_timeout: 300 } },
        bare: {},
      },
    };
    failure = await expectTerraformFailure(MODULE, { vars, validate: false });
  });

  test('the plan fails with each precondition, naming the node group it is about', () => {
    expect(failure.stage).toBe('plan');
    const output = flat(failure);
    const [sweep, drain, force] = ['sweep_schedule', 'max_drain_seconds', 'force_drain_after_seconds'].map((s) =>
      GATE_GROUP_RULES.find((r) => r.setting === s)!,
    );
    expect(output).toContain(moduleMessage('sweep_schedule', sweep.reason('slow'), sweep.fix('module')));
    expect(output).toContain(moduleMessage('max_drain_seconds', drain.reason('short'), drain.fix('module')));
    expect(output).toContain(moduleMessage('force_drain_after_seconds', force.reason('short'), force.fix('module')));
    const order = FORCE_AFTER_MAX_DRAIN;
    expect(output).toContain(moduleMessage(order.variable, order.reason('max_drain_seconds'), order.fix('module')));
    const subnets = RESOLVED_NODE_GROUP_RULES.find((r) => r.attribute === 'subnet_ids')!;
    expect(output).toContain(
      `Invalid node_groups["bare"].subnet_ids: ${subnets.reason({ minimumRootVolumeGiB: 30 })}.`,
    );
  });
});
