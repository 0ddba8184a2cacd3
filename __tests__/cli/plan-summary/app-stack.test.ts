/**
 * `plan-summary` on REAL `terraform show -json` output of the cdktf app (`main.ts`'s RolloutStack, construct-path
 * addresses rather than the module's): the example stack in gitops mode with a pinned AMI, changed from AMI_BEFORE to
 * AMI_AFTER on an already deployed stack (state seeded from Terraform's own plans, see
 * support/terraform/seeded-plans.ts — three offline Terraform runs in one beforeAll, no hand-written plan JSON).
 * The module's plans (removal, replacement, hooks, drain owner, checkpoints) are in review-plans.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT } from '../../../cli/exit-codes';
import { estimateRefresh, formatRoughDuration } from '../../../cli/plan-summary/duration';
import { summarizePlan } from '../../../cli/plan-summary/summarize';
import { DEFAULTS } from '../../../lib/defaults';
import { PlanJson, TERRAFORM_TEST_TIMEOUT_MS } from '../../support/terraform-harness';
import { runCaptured } from '../support/run-cli';
import { markdownSections } from './support/markdown';
import { planAmiChange } from '../../support/terraform/seeded-plans';

const AMI_BEFORE = 'ami-0123456789abcdef1';
const AMI_AFTER = 'ami-0123456789abcdef2';
const STACK = { clusterName: 'web', nodeGroup: 'x86', desiredCapacity: 6 };

let amiChangePlan: PlanJson;
let initialPlan: PlanJson;
let workDir: string;
const planFile = () => path.join(workDir, 'ami-change.plan.json');

beforeAll(async () => {
  // GIVEN the gitops stack deployed with AMI_BEFORE, WHEN the pinned AMI becomes AMI_AFTER, THEN Terraform plans it
  ({ amiChangePlan, initialPlan } = await planAmiChange(STACK, AMI_BEFORE, AMI_AFTER));
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-ami-rollout-plan-summary-'));
  fs.writeFileSync(planFile(), JSON.stringify(amiChangePlan));
  fs.writeFileSync(path.join(workDir, 'initial.plan.json'), JSON.stringify(initialPlan));
}, 3 * TERRAFORM_TEST_TIMEOUT_MS);

afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

/** The estimate the summary must show, derived from the module defaults the stack uses. */
function expectedEstimate() {
  return estimateRefresh({
    instancesReplaced: STACK.desiredCapacity,
    minHealthyPercentage: DEFAULTS.nodeGroup.minHealthyPercentage,
    maxHealthyPercentage: DEFAULTS.nodeGroup.maxHealthyPercentage,
    warmupSeconds: DEFAULTS.nodeGroup.instanceWarmupSeconds,
    checkpointPercentages: [],
    checkpointDelaySeconds: DEFAULTS.nodeGroup.checkpointDelaySeconds,
  });
}

test('the plan under test is a genuine Terraform update of the launch template and the ASG', () => {
  // THEN Terraform itself planned the AMI change and the new launch template version
  const lt = amiChangePlan.resource_changes!.find((rc) => rc.type === 'aws_launch_template')!;
  expect(lt.change.actions).toEqual(['update']);
  expect([lt.change.before?.image_id, lt.change.after?.image_id]).toEqual([AMI_BEFORE, AMI_AFTER]);
  const asg = amiChangePlan.resource_changes!.find((rc) => rc.type === 'aws_autoscaling_group')!;
  expect(asg.change.actions).toEqual(['update']);
  expect(asg.change.after_unknown.launch_template).toEqual([expect.objectContaining({ version: true })]);
});

test('markdown: AMI old → new, why, refresh preferences, instances replaced and the rough duration', async () => {
  // WHEN
  const run = await runCaptured(['plan-summary', planFile()]);

  // THEN one table row for the node group carries the whole story
  expect(run.code).toBe(EXIT.OK);
  const estimate = expectedEstimate();
  const doc = markdownSections(run.stdout);
  expect(doc.tables['Instance refreshes']).toEqual([
    {
      'Node group': '**x86** (ASG `web-x86`)',
      Why: `launch template image_id ${AMI_BEFORE} → ${AMI_AFTER}`,
      AMI: `\`${AMI_BEFORE}\` → \`${AMI_AFTER}\``,
      'Instance refresh': 'Rolling, min 100 % / max 200 % healthy, warmup 60 s, no checkpoints, auto rollback',
      Alarms: 'none',
      'Instances replaced': String(STACK.desiredCapacity),
      'Rough duration': `${formatRoughDuration(estimate.totalSeconds)} (1 batch of ≤ ${STACK.desiredCapacity})`,
    },
  ]);
  expect(doc.opening).toMatch(/^This plan replaces 6 instances in \*\*x86\*\* by rolling instance refresh/);
  expect(doc.sections['Instances terminated']).toBeUndefined();
  expect(doc.sections.Draining).toBeUndefined();
});

test('text: the same facts, and everything else is only in-place updates', async () => {
  // WHEN
  const run = await runCaptured(['plan-summary', planFile(), '--format', 'text', '--fail-on-replace']);

  // THEN
  expect(run.code).toBe(EXIT.OK); // nothing risky: --fail-on-replace passes
  expect(run.stdout).toContain(`AMI:        ${AMI_BEFORE} → ${AMI_AFTER}  (launch template web-x86)`);
  expect(run.stdout).toContain('because the launch template version changes');
  expect(run.stdout).toContain(`Replaced:   ${STACK.desiredCapacity} instance(s)`);
  const summary = summarizePlan(amiChangePlan);
  expect(summary.risky).toEqual([]);
  expect(new Set(summary.other.map((o) => o.action))).toEqual(new Set(summary.other.length > 0 ? ['update'] : []));
});

test('a first deployment (creates only) has no AMI change and counts the creates', async () => {
  // WHEN
  const run = await runCaptured(['plan-summary', path.join(workDir, 'initial.plan.json'), '--format', 'text']);
  // THEN
  const creates = initialPlan.resource_changes!.filter(
    (rc) => rc.mode === 'managed' && rc.change.actions.join() === 'create',
  ).length;
  expect(run.stdout).toContain('No running instance is replaced or terminated and draining is unchanged');
  expect(run.stdout).toContain(`Everything else: ${creates} to create`);
});

test('input that is not a plan: exit 65 saying how to make one', async () => {
  const file = path.join(workDir, 'not-a-plan.json');
  fs.writeFileSync(file, JSON.stringify({ hello: 'world' }));
  const run = await runCaptured(['plan-summary', file]);
  expect(run.code).toBe(EXIT.BAD_INPUT);
  expect(run.stderr).toMatch(/not a Terraform plan in JSON[\s\S]*terraform show -json tfplan/);
});
