/**
 * The plan matrix: every routine edit a team makes to a deployed fleet, planned by REAL Terraform against a seeded
 * "applied" state (support/terraform/seeded-module-plans.ts: one root, one module instance per edit, three Terraform
 * runs in all). For each edit: which resources update, and that no Auto Scaling group, capacity provider, cluster or
 * state parameter is replaced or deleted — except the removed node group's own resources.
 */
import { PlanJson, ResourceChange, TERRAFORM_TEST_TIMEOUT_MS } from '../support/terraform-harness';
import { ModuleChangePlans, planModuleChanges } from '../support/terraform/seeded-module-plans';
import { MATRIX_CASES, PROTECTED, upgradeCase } from './support/plan-matrix-cases';
import { parseGateConfig } from '../../lambdas/shared/config';
import { parseMonitorConfig } from '../../lambdas/monitor/config';
import { parseWatcherConfig } from '../../lambdas/watcher/config';

let plans: ModuleChangePlans;

beforeAll(async () => {
  // GIVEN one deployed module instance per routine edit WHEN the edits are planned together
  plans = await planModuleChanges([...MATRIX_CASES, upgradeCase()]);
  console.log(
    `plan matrix: ${MATRIX_CASES.length + 1} module instances, timings (ms) ${JSON.stringify(plans.timingsMs)}`,
  );
}, 4 * TERRAFORM_TEST_TIMEOUT_MS);

const key = (rc: ResourceChange) => rc.address.slice(rc.module_address!.length + 1);
const acting = (changes: ResourceChange[]) => changes.filter((rc) => !rc.change.actions.every((a) => a === 'no-op'));
const summary = (changes: ResourceChange[]) =>
  Object.fromEntries(acting(changes).map((rc) => [key(rc), rc.change.actions.join('+')]));
const destroys = (rc: ResourceChange) => rc.change.actions.includes('delete');

test('the plan under test is a genuine plan over deployed state: most resources are unchanged', () => {
  const all = (plans.plan.resource_changes ?? []).filter((rc) => rc.mode === 'managed');
  const noop = all.filter((rc) => rc.change.actions.every((a) => a === 'no-op'));
  expect(all.length).toBeGreaterThan(350);
  expect(noop.length / all.length).toBeGreaterThan(0.7);
});

describe.each(MATRIX_CASES.map((c) => [c.name, c] as const))('%s', (name, matrixCase) => {
  test('no Auto Scaling group, capacity provider, cluster or state parameter is replaced or deleted', () => {
    const changes = plans.changesOf(name);
    expect(changes.length).toBeGreaterThan(20);
    const hurt = changes
      .filter((rc) => PROTECTED.has(rc.type) && destroys(rc))
      .filter((rc) => !(matrixCase.removedGroup && rc.index === matrixCase.removedGroup));
    expect(hurt.map((rc) => `${key(rc)}: ${rc.change.actions.join('+')}`)).toEqual([]);
  });

  test('exactly the expected resources change, and how', () => {
    expect(summary(plans.changesOf(name))).toEqual(matrixCase.expected);
  });
});

test('an upgrade from the 0.1 block names moves state: nothing is replaced, the pause switch keeps its object', () => {
  const changes = plans.changesOf('upgrade');
  const moved = changes.filter((rc) => (rc as ResourceChange & { previous_address?: string }).previous_address);
  expect(moved.length).toBeGreaterThan(40);
  expect(changes.filter(destroys).map(key)).toEqual([]);
  // only the hook resources are new: PutLifecycleHook on the hooks the group already has
  expect(changes.filter((rc) => rc.change.actions.includes('create')).map(key)).toEqual([
    'aws_autoscaling_lifecycle_hook.drain_gate["x86"]',
    'aws_autoscaling_lifecycle_hook.launch_gate["x86"]',
  ]);
  const paused = changes.find((rc) => key(rc) === 'aws_ssm_parameter.paused')!;
  expect((paused as ResourceChange & { previous_address?: string }).previous_address).toBe(
    'module.upgrade.aws_ssm_parameter.ami_watcher_paused',
  );
});

test('the initial plan only creates', () => {
  const actions = new Set(
    (plans.initialPlan.resource_changes ?? []).filter((rc) => rc.mode === 'managed').flatMap((rc) => rc.change.actions),
  );
  expect([...actions]).toEqual(['create']);
});

test('every function of every module instance can parse the config Terraform planned for it', () => {
  // GIVEN the plan's Lambda functions (their environment is known: the state was seeded)
  const functions = (plans.plan.resource_changes ?? []).filter((rc) => rc.type === 'aws_lambda_function');
  const parsers: Record<string, (raw: string | undefined) => unknown> = {
    GATE_CONFIG: parseGateConfig,
    WATCHER_CONFIG: parseWatcherConfig,
    MONITOR_CONFIG: parseMonitorConfig,
  };
  const parsed: string[] = [];
  for (const rc of functions) {
    const after = rc.change.after as { environment?: { variables?: Record<string, string> }[] } | null;
    const variables = after?.environment?.[0]?.variables ?? {};
    for (const [name, parse] of Object.entries(parsers)) {
      if (!(name in variables)) continue;
      // WHEN the handler's own parser reads it at cold start THEN it accepts it
      expect(() => parse(variables[name])).not.toThrow();
      parsed.push(`${rc.module_address}.${name}`);
    }
  }
  expect(parsed.filter((p) => p.endsWith('GATE_CONFIG')).length).toBeGreaterThanOrEqual(MATRIX_CASES.length);
  expect(parsed.filter((p) => p.endsWith('WATCHER_CONFIG')).length).toBeGreaterThan(0);
  expect(parsed.filter((p) => p.endsWith('MONITOR_CONFIG')).length).toBeGreaterThan(0);
});

export type { PlanJson };
