/**
 * Bad-input matrix, the plain Terraform module's root variables: ONE real `terraform plan` (offline, no validate stage:
 * variable validation runs at plan) with several bad variables at once must stop before any resource is planned and
 * report every one of them — variable name, the bad value (Terraform prints it) and the fix. The node_groups rules are
 * covered by __tests__/module/module-plan.test.ts; these are the cluster-level variables.
 */
import * as path from 'node:path';
import { expectTerraformFailure, TERRAFORM_TEST_TIMEOUT_MS, TerraformCommandError } from '../support/terraform-harness';

jest.setTimeout(TERRAFORM_TEST_TIMEOUT_MS);

const MODULE = path.join(__dirname, '..', '..', 'terraform-module');

const BAD_VARIABLES: { variable: string; value: unknown; message: string }[] = [
  {
    variable: 'ami_mode',
    value: 'manual',
    message: 'Invalid ami_mode: must be one of "auto", "gitops". Fix: use "auto" (watcher) or "gitops" (Terraform).',
  },
  {
    variable: 'drain_owner',
    value: 'both',
    message:
      'Invalid drain_owner: must be one of "lambda", "ecs". Fix: ' +
      'use "lambda" (drain gate) or "ecs" (managed draining).',
  },
  {
    variable: 'log_retention_days',
    value: 10,
    message:
      'Invalid log_retention_days: must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, ' +
      '731, 1096, 1827, 2192, 2557, 2922, 3288, 3653. Fix: pick the nearest value CloudWatch Logs accepts.',
  },
  {
    variable: 'sweep_schedule',
    value: 'rate(1 minutes)',
    message:
      'Invalid sweep_schedule: must be an EventBridge schedule such as "rate(1 ' +
      'minute)", "rate(5 minutes)" or "cron(...)". Fix: fix the expression.',
  },
];

describe('terraform-module: bad root variables', () => {
  let failure: TerraformCommandError;

  beforeAll(async () => {
    // GIVEN a valid cluster and node group plus four bad cluster-level variables, in one var file
    const vars = {
      cluster_name: 'prod',
      subnet_ids: ['subnet-0000000000000000a'],
      security_group_ids: ['sg-0000000000000000a'],
      node_groups: { x86: {} },
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

  test.each(BAD_VARIABLES.map((bad) => [bad.variable, bad] as const))(
    'reports %s with its value and the fix, in the same run',
    (_name, bad) => {
      const output = failure.output.replace(/[│╷╵]/g, ' ').replace(/\s+/g, ' ');
      expect(output).toContain(`Invalid value for variable`);
      expect(output).toContain(bad.message);
      // Terraform names the variable and prints the rejected value in the diagnostic
      expect(output).toContain(`var.${bad.variable} is ${JSON.stringify(bad.value)}`);
    },
  );
});
