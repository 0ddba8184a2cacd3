/**
 * `plan-summary` as a PR reviewer meets it: REAL `terraform plan`s of the module over a seeded "applied" state, one
 * module instance per case (support/review-cases.ts), all planned by one set of Terraform runs
 * (support/terraform/seeded-module-plans.ts, the plan matrix's seeding). Each case's resource changes are cut out of
 * that one plan into a plan file of its own, which the CLI reads as a user's `terraform show -json` output.
 * Set ECS_AMI_ROLLOUT_CLI_SAMPLES_DIR to keep the rendered comments (docs/cli.md quotes them).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXIT } from '../../../cli/exit-codes';
import { DEFAULT_ASSUMPTIONS, estimateRefresh } from '../../../cli/plan-summary/duration';
import { PlanSummary, summarizePlan } from '../../../cli/plan-summary/summarize';
import type { TerraformPlanJson } from '../../../cli/plan-summary/plan-json';
import { TERRAFORM_TEST_TIMEOUT_MS } from '../../support/terraform-harness';
import { ModuleChangePlans, planModuleChanges } from '../../support/terraform/seeded-module-plans';
import { runCaptured } from '../support/run-cli';
import { ALL_CASES, AMI_AFTER, AMI_BEFORE, CASES, GITOPS_REFRESH, ReviewCase } from './support/review-cases';
import { markdownSections } from './support/markdown';

let plans: ModuleChangePlans;
let workDir: string;
const summaries = new Map<string, PlanSummary>();

const planFile = (c: ReviewCase) => path.join(workDir, `${c.name}.plan.json`);
const summaryOf = (c: ReviewCase) => summaries.get(c.name)!;

beforeAll(async () => {
  // GIVEN one deployed module instance per case WHEN every case's edit is planned by real Terraform
  const started = Date.now();
  plans = await planModuleChanges(ALL_CASES);
  console.log(`plan-summary review plans: ${ALL_CASES.length} cases, ${Date.now() - started} ms`, plans.timingsMs);
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-ami-rollout-plan-summary-'));
  for (const c of ALL_CASES) {
    const plan = { ...plans.plan, resource_changes: plans.changesOf(c.name) };
    fs.writeFileSync(planFile(c), JSON.stringify(plan));
    summaries.set(c.name, summarizePlan(plan as TerraformPlanJson));
  }
}, 4 * TERRAFORM_TEST_TIMEOUT_MS);

afterAll(() => workDir && fs.rmSync(workDir, { recursive: true, force: true }));

async function comment(c: ReviewCase, ...flags: string[]) {
  const run = await runCaptured(['plan-summary', planFile(c), ...flags]);
  const dir = process.env.ECS_AMI_ROLLOUT_CLI_SAMPLES_DIR;
  if (dir)
    fs.writeFileSync(path.join(dir, `plan-summary-${c.name}${flags.includes('text') ? '.txt' : '.md'}`), run.stdout);
  return run;
}

describe('a node group removed', () => {
  const c = CASES.groupRemoved;

  test('the impact names the group, its running instances, that they go together and are not drained', () => {
    expect(summaryOf(c).impacts).toEqual([
      expect.objectContaining({
        nodeGroup: 'old',
        asgName: 'rv-remove-old',
        groupAction: 'delete',
        instances: c.instances,
        termination: 'together',
        drained: 'no',
      }),
    ]);
    expect(summaryOf(c).headline.severity).toBe('terminates');
  });

  test('the Markdown says so first, in the impact line, and --fail-on-replace exits 2', async () => {
    const run = await comment(c, '--fail-on-replace');
    expect(run.code).toBe(EXIT.RISKY_CHANGE);
    const doc = markdownSections(run.stdout);
    expect(doc.opening).toContain(`terminates ${c.instances} running instances at once`);
    const [line] = doc.sections['Instances terminated'];
    expect(line).toMatch(/^- \*\*old\*\* \(ASG `rv-remove-old`\) deleted/);
    expect(line).toContain(`${c.instances} running instance(s) terminated together`);
    expect(line).toContain('NOT drained');
  });

  test('the Draining section states the narrowed rule, configuration, permissions and membership', () => {
    const texts = summaryOf(c).draining.map((d) => d.text);
    expect(texts).toEqual(
      expect.arrayContaining([
        'removes terminate hook `ecs-ami-rollout-drain-gate`',
        'drain rule `rv-remove-drain-gate-terminate-lifecycle`: stops matching `rv-remove-old`',
        'drain gate configuration: stops serving `rv-remove-old`',
        'drain gate permissions: no longer allows lifecycle actions on `rv-remove-old`',
        'removes capacity provider `cp-rv-remove-old`',
        'cluster capacity providers: drops `cp-rv-remove-old`',
      ]),
    );
  });
});

describe('a change the module cannot make in place (cluster renamed)', () => {
  const c = CASES.renamed;

  test('the group is replaced delete-first, its instances go together, the renamed drain rule leaves them', () => {
    expect(summaryOf(c).impacts).toEqual([
      expect.objectContaining({
        nodeGroup: 'x86',
        groupAction: 'replace',
        forcedBy: ['name'],
        instances: c.instances,
        termination: 'together',
        drained: 'not reliably',
      }),
    ]);
  });

  test('--fail-on-replace exits 2 and the comment opens with the termination', async () => {
    const run = await comment(c, '--fail-on-replace');
    expect(run.code).toBe(EXIT.RISKY_CHANGE);
    expect(markdownSections(run.stdout).opening).toContain(`terminates ${c.instances} running instances at once`);
  });
});

describe('a terminate-hook heartbeat change', () => {
  const c = CASES.hookChange;

  test('is an in-place change of the hook and the gate configuration, in the Draining section', async () => {
    const summary = summaryOf(c);
    expect(summary.impacts).toEqual([]);
    expect(summary.headline.severity).toBe('drain-path');
    expect(summary.draining.map((d) => d.text)).toEqual([
      'terminate hook `ecs-ami-rollout-drain-gate`: heartbeat 3600 s → 1800 s (in place)',
      'drain gate configuration: terminate heartbeat of `rv-hook-x86` 3600 s → 1800 s',
    ]);
    const run = await comment(c, '--fail-on-replace');
    expect(run.code).toBe(EXIT.OK);
    expect(markdownSections(run.stdout).sections.Draining).toHaveLength(summary.draining.length);
  });
});

describe('a drain-owner switch to ECS managed draining', () => {
  const c = CASES.drainOwner;

  test('the Draining section states who drains before and after, and each removed or changed piece', () => {
    const texts = summaryOf(c).draining.map((d) => d.text);
    expect(texts[0]).toMatch(/^drained by drain gate → by ECS managed draining\. Nothing orders these changes/);
    expect(texts).toEqual(
      expect.arrayContaining([
        'removes terminate hook `ecs-ami-rollout-drain-gate`',
        'deletes drain rule `rv-owner-drain-gate-terminate-lifecycle`: terminate events no longer reach the gate',
        'capacity provider `cp-rv-owner-x86`: managed draining DISABLED → ENABLED',
      ]),
    );
    expect(texts.some((t) => t.startsWith('deletes the drain gate function and '))).toBe(true);
  });

  test('is not a replacement: ECS drains the group afterwards, so --fail-on-replace passes', async () => {
    const run = await comment(c, '--fail-on-replace');
    expect(run.code).toBe(EXIT.OK);
    const doc = markdownSections(run.stdout);
    expect(doc.opening).toMatch(/^This plan changes how instances are drained/);
    expect(doc.sections.Draining).toHaveLength(summaryOf(c).draining.length);
  });
});

describe('an instance-type change', () => {
  const c = CASES.instanceType;

  test('rolls the group by instance refresh and says why', async () => {
    const [group] = summaryOf(c).nodeGroups;
    expect(group.refresh?.reasons).toEqual(['launch template instance_type m7i.large → m7i.xlarge']);
    expect(group.refresh?.instancesReplaced).toBe(c.instances);
    expect(summaryOf(c).headline.severity).toBe('rolls');
    expect(summaryOf(c).draining).toEqual([]);
    const run = await comment(c, '--format', 'text', '--fail-on-replace');
    expect(run.code).toBe(EXIT.OK);
  });
});

describe('a gitops AMI bump with checkpoints and an alarm', () => {
  const c = CASES.gitopsBump;

  test('the duration counts the checkpoint phases and the pause', () => {
    const [group] = summaryOf(c).nodeGroups;
    const estimate = group.refresh!.estimate!;
    // 2 instances, checkpoints 50/100 %: one instance, the 600 s pause, then the other (min 100 % / max 200 %)
    expect(estimate.phases.map((p) => [p.batches, p.pauseSeconds])).toEqual([
      [[1], GITOPS_REFRESH.checkpoint_delay],
      [[1], 0],
    ]);
    const perBatch =
      DEFAULT_ASSUMPTIONS.bootSeconds + DEFAULT_ASSUMPTIONS.joinSeconds + 60 + DEFAULT_ASSUMPTIONS.drainSeconds;
    expect(estimate.totalSeconds).toBe(2 * perBatch + GITOPS_REFRESH.checkpoint_delay);
    expect(estimate).toEqual(
      estimateRefresh({ instancesReplaced: c.instances, ...group.refresh!.preferences! }, DEFAULT_ASSUMPTIONS),
    );
  });

  test('the comment shows the AMI, why the refresh happens and the alarm that guards it', async () => {
    const [group] = summaryOf(c).nodeGroups;
    expect(group.amiChanges.map((a) => [a.from, a.to])).toEqual([[AMI_BEFORE, AMI_AFTER]]);
    expect(group.refresh?.preferences?.alarms).toEqual(GITOPS_REFRESH.alarm_names);
    expect(group.refresh?.reasons).toEqual([`launch template image_id ${AMI_BEFORE} → ${AMI_AFTER}`]);
    const run = await comment(c);
    const [row] = markdownSections(run.stdout).tables['Instance refreshes'];
    expect(row).toMatchObject({
      'Node group': '**web** (ASG `rv-gitops-web`)',
      Why: `launch template image_id ${AMI_BEFORE} → ${AMI_AFTER}`,
      Alarms: '`web-5xx-rate-high`',
      'Instances replaced': String(c.instances),
      'Rough duration': '≈ 26 min (2 batches: 1 + pause 600 s + 1)',
    });
    await comment(c, '--format', 'text');
  });
});

describe('plans that change no running instance', () => {
  test('a first deployment (creates only) opens with no instance affected and counts the creates', async () => {
    // GIVEN the seeding's first plan: every case deployed from empty state
    const file = path.join(workDir, 'initial.plan.json');
    fs.writeFileSync(file, JSON.stringify(plans.initialPlan));
    // WHEN
    const run = await runCaptured(['plan-summary', file, '--format', 'text', '--fail-on-replace']);
    // THEN
    const summary = summarizePlan(plans.initialPlan as TerraformPlanJson);
    const creates = (plans.initialPlan.resource_changes ?? []).filter((rc) => rc.mode === 'managed').length;
    expect(run.code).toBe(EXIT.OK);
    expect(summary.headline.severity).toBe('quiet');
    expect([summary.impacts, summary.draining, summary.nodeGroups]).toEqual([[], [], []]);
    expect(summary.otherCounts).toEqual({ create: creates });
  });

  test('input that is not a plan: exit 65 saying how to make one', async () => {
    const file = path.join(workDir, 'not-a-plan.json');
    fs.writeFileSync(file, JSON.stringify({ hello: 'world' }));
    const run = await runCaptured(['plan-summary', file]);
    expect(run.code).toBe(EXIT.BAD_INPUT);
    expect(run.stderr).toMatch(/not a Terraform plan in JSON[\s\S]*terraform show -json tfplan/);
  });
});
