/**
 * Real `terraform show -json` output of an AMI change in gitops mode, planned offline: the plan a reviewer sees when a
 * pinned AMI goes from `amiBefore` to `amiAfter` on an already deployed stack.
 *
 * `terraform apply` cannot run offline, so "already deployed" is a state file seeded from Terraform's own plans
 * (see seeded-state.ts for what is filled and why):
 *   1. plan the stack with `amiBefore` against empty state (creates only) → state S1: planned values + filled unknowns;
 *   2. plan the same stack against S1 (`-refresh=false -state=S1`): Terraform now evaluates the policy documents, JSON
 *      event patterns and Lambda environments that depend on ids/ARNs → state S2: those values merged in;
 *   3. plan the stack with `amiAfter` against S2 → the genuine update plan under test (launch template `image_id`
 *      change, ASG launch template version "known after apply", prior `desired_capacity`).
 * The harness stays untouched: `-state` is an ordinary `planArgs` entry (the harness backend is `local`).
 * Known residue: a resource whose planned value stayed unknown in step 2 because Terraform deferred a data source
 * read behind another seeded change keeps an empty value and may show up as an in-place update in step 3.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { StackConfig } from '../../../lib/config/app-config';
import { RolloutStack } from '../../../lib/config/rollout-stack';
import { EcsAmiRolloutProps } from '../../../lib/ecs-ami-rollout';
import { PlanJson, planStack } from '../terraform-harness';
import { filledValues, mergeKnownValues, stateFileFor } from './seeded-state';

export interface SeededPlans {
  /** Step 3: `terraform show -json` of the AMI change. */
  readonly amiChangePlan: PlanJson;
  /** Step 1: the initial plan (creates only). */
  readonly initialPlan: PlanJson;
  readonly timingsMs: number[];
}

export interface GitopsStackOptions {
  readonly clusterName: string;
  readonly nodeGroup: string;
  readonly desiredCapacity: number;
}

function synthGitopsStack(options: GitopsStackOptions, amiId: string): { dir: string; stackName: string } {
  // The config file schema (StackConfig) has no `amiMode` yet; RolloutStack forwards extra props to EcsAmiRollout,
  // whose `amiMode` prop this sets (the plan's launch template then holds the pinned id, not `resolve:ssm:`).
  const config: StackConfig & Pick<EcsAmiRolloutProps, 'amiMode'> = {
    name: 'plan-summary',
    region: 'us-east-1',
    clusterName: options.clusterName,
    subnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
    securityGroupIds: ['sg-0a1b2c3d4e5f60001'],
    amiMode: 'gitops',
    nodeGroups: [
      { name: options.nodeGroup, desiredCapacity: options.desiredCapacity, amiSource: { type: 'pinned', amiId } },
    ],
  };
  const stack = new RolloutStack(Testing.app(), config);
  return { dir: Testing.fullSynth(stack), stackName: stack.node.id };
}

export async function planAmiChange(
  options: GitopsStackOptions,
  amiBefore: string,
  amiAfter: string,
): Promise<SeededPlans> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-ami-rollout-seeded-'));
  const before = synthGitopsStack(options, amiBefore);
  const after = synthGitopsStack(options, amiAfter);
  const timingsMs: number[] = [];
  const plan = async (synth: { dir: string; stackName: string }, statePath?: string) => {
    const started = Date.now();
    const planArgs = statePath ? ['-refresh=false', `-state=${statePath}`] : [];
    const result = await planStack(synth.dir, { stackName: synth.stackName, validate: false, planArgs });
    timingsMs.push(Date.now() - started);
    return result.plan;
  };
  try {
    const initialPlan = await plan(before);
    const seeded = filledValues(initialPlan);
    const s1 = path.join(work, 's1.tfstate');
    fs.writeFileSync(s1, stateFileFor(initialPlan, seeded));
    const settled = mergeKnownValues(seeded, await plan(before, s1));
    const s2 = path.join(work, 's2.tfstate');
    fs.writeFileSync(s2, stateFileFor(initialPlan, settled));
    return { amiChangePlan: await plan(after, s2), initialPlan, timingsMs };
  } finally {
    for (const dir of [work, before.dir, after.dir]) fs.rmSync(dir, { recursive: true, force: true });
  }
}
