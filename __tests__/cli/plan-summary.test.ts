/**
 * `plan-summary` on REAL `terraform show -json` output: the example stack in gitops mode with a pinned AMI, changed
 * from AMI_BEFORE to AMI_AFTER on an already deployed stack (state seeded from Terraform's own plans, see
 * support/seeded-plans.ts — three offline Terraform runs in one beforeAll, no hand-written plan JSON).
 * Set ECS_AMI_ROLLOUT_CLI_SAMPLES_DIR to keep the rendered outputs (docs/cli.md quotes them).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT } from '../../cli/exit-codes';
import { estimateRefresh, formatRoughDuration } from '../../cli/plan-summary/duration';
import { hasFailingRisk, summarizePlan } from '../../cli/plan-summary/summarize';
import { DEFAULTS } from '../../lib/defaults';
import { PlanJson, TERRAFORM_TEST_TIMEOUT_MS } from '../support/terraform-harness';
import { runCaptured } from './support/run-cli';
import { planAmiChange } from './support/seeded-plans';

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

function keepSample(name: string, text: string): void {
  const dir = process.env.ECS_AMI_ROLLOUT_CLI_SAMPLES_DIR;
  if (dir) fs.writeFileSync(path.join(dir, name), text);
}

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

test('markdown: AMI old → new, refresh preferences, instances replaced and the rough duration', async () => {
  // WHEN
  const run = await runCaptured(['plan-summary', planFile()]);
  keepSample('plan-summary.md', run.stdout);

  // THEN one table row for the node group carries the whole story
  expect(run.code).toBe(EXIT.OK);
  const estimate = expectedEstimate();
  const row = run.stdout.split('\n').find((line) => line.startsWith('| **x86**'));
  expect(row).toBe(
    `| **x86** (ASG \`web-x86\`) | \`${AMI_BEFORE}\` → \`${AMI_AFTER}\` ` +
      `| Rolling, min 100 % / max 200 % healthy, warmup 60 s, ` +
      `no checkpoints, auto rollback | ${STACK.desiredCapacity} | ` +
      `${formatRoughDuration(estimate.totalSeconds)} (1 batch of ${STACK.desiredCapacity}) |`,
  );
  expect(run.stdout).toContain(
    'None: no replacement or deletion of the cluster, ASGs, capacity providers or lifecycle hooks.',
  );
  expect(run.stdout).toMatch(
    /<summary>How the duration is estimated<\/summary>[\s\S]*batches × \(boot \+ join \+ warmup \+ drain\)/,
  );
});

test('text: the same facts, and everything else is only in-place updates', async () => {
  // WHEN
  const run = await runCaptured(['plan-summary', planFile(), '--format', 'text', '--fail-on-replace']);
  keepSample('plan-summary.txt', run.stdout);

  // THEN
  expect(run.code).toBe(EXIT.OK); // nothing risky: --fail-on-replace passes
  expect(run.stdout).toContain(`AMI:        ${AMI_BEFORE} → ${AMI_AFTER}  (launch template web-x86)`);
  expect(run.stdout).toContain('because the launch template version changes');
  expect(run.stdout).toContain(`Replaced:   ${STACK.desiredCapacity} instance(s)`);
  const summary = summarizePlan(amiChangePlan);
  expect(summary.risky).toEqual([]);
  expect(new Set(summary.other.map((o) => o.action))).toEqual(new Set(summary.other.length > 0 ? ['update'] : []));
});

test('--fail-on-replace exits 2 when an ASG would be replaced', async () => {
  // GIVEN the real plan, with the ASG change turned into a replacement (forced by its name) — the shape Terraform
  // gives `["delete","create"]` + replace_paths; the rest of the plan stays Terraform's own output
  type Mutable = { resource_changes: { type: string; change: { actions: string[]; replace_paths?: string[][] } }[] };
  const replaced = structuredClone(amiChangePlan) as unknown as Mutable;
  const asg = replaced.resource_changes.find((rc) => rc.type === 'aws_autoscaling_group')!;
  asg.change.actions = ['delete', 'create'];
  asg.change.replace_paths = [['name']];
  const file = path.join(workDir, 'asg-replaced.plan.json');
  fs.writeFileSync(file, JSON.stringify(replaced));

  // WHEN
  const run = await runCaptured(['plan-summary', file, '--fail-on-replace']);

  // THEN
  expect(hasFailingRisk(summarizePlan(replaced as never))).toBe(true);
  expect(run.code).toBe(EXIT.RISKY_CHANGE);
  expect(run.stdout).toContain('> [!CAUTION]');
  expect(run.stdout).toMatch(/\*\*replaces aws_autoscaling_group web-x86 \(forced by name\)\*\*/);
  expect(run.stderr).toMatch(/risky replacement or deletion planned/);
});

test('a first deployment (creates only) has no AMI change and counts the creates', async () => {
  // WHEN
  const run = await runCaptured(['plan-summary', path.join(workDir, 'initial.plan.json'), '--format', 'text']);
  // THEN
  const creates = initialPlan.resource_changes!.filter(
    (rc) => rc.mode === 'managed' && rc.change.actions.join() === 'create',
  ).length;
  expect(run.stdout).toContain('No AMI change and no instance refresh in this plan.');
  expect(run.stdout).toContain(`Everything else: ${creates} to create`);
});

test('input that is not a plan: exit 65 saying how to make one', async () => {
  const file = path.join(workDir, 'not-a-plan.json');
  fs.writeFileSync(file, JSON.stringify({ hello: 'world' }));
  const run = await runCaptured(['plan-summary', file]);
  expect(run.code).toBe(EXIT.BAD_INPUT);
  expect(run.stderr).toMatch(/not a Terraform plan in JSON[\s\S]*terraform show -json tfplan/);
});
