/**
 * Real `terraform plan`s of the committed terraform-module/ against a seeded "applied" state: one root with one module
 * block per case, so a single Terraform run plans every case at once (cases are independent module instances, each
 * with its own cluster). For each case the state holds what `before` deploys and the plan under test applies `after`.
 *
 *   1. plan `before` against empty state → state S1 (planned values, unknowns filled; see seeded-state.ts);
 *   2. plan `before` against S1, twice (`-refresh=false`): Terraform computes what depends on ids/ARNs → state S2;
 *   3. plan `after` against S2 → the plan under test (`changesOf(case)` are its resource changes).
 *
 * A case may seed its state under other addresses (`stateAddress`), e.g. the block names of an earlier release, to
 * plan an upgrade. Reusable by any test that needs plans of the module over deployed state (plan-summary, issue 19).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PlanJson, planStack, ResourceChange } from '../terraform-harness';
import { filledValues, mergeKnownValues, StateAddress, stateFileFor } from './seeded-state';

const MODULE_DIR = path.join(__dirname, '..', '..', '..', 'terraform-module');

/** One module instance: its inputs when deployed and in the change under test. */
export interface ModuleCase {
  /** Module block name: the case's resources are `module.<name>.…` in the plans. */
  readonly name: string;
  readonly before: Readonly<Record<string, unknown>>;
  readonly after: Readonly<Record<string, unknown>>;
  /** Where the case's resources live in the seeded state (default: where the module puts them; undefined = absent). */
  readonly stateAddress?: (rc: ResourceChange, local: string) => StateAddress | undefined;
}

export interface ModuleChangePlans {
  /** Step 3: the plan under test. */
  readonly plan: PlanJson;
  /** Step 1: the initial plan (creates only). */
  readonly initialPlan: PlanJson;
  /** Step 2, last pass: `before` against the seeded state (what seeding left unsettled would show here). */
  readonly settlePlan: PlanJson;
  /** Wall-clock ms of steps 1–3 (init + plan + show each). */
  readonly timingsMs: readonly number[];
  /** Managed resource changes of one case in the plan under test. */
  changesOf(caseName: string): ResourceChange[];
}

function writeRoot(dir: string, cases: readonly ModuleCase[], which: 'before' | 'after'): void {
  fs.mkdirSync(dir, { recursive: true });
  const module = Object.fromEntries(cases.map((c) => [c.name, { source: '../module', ...c[which] }]));
  const root = { provider: { aws: { region: 'us-east-1' } }, module };
  fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(root, null, 1));
}

/** The address inside the case's module, e.g. `aws_lambda_function.launch_gate` (index included). */
function localAddress(rc: ResourceChange): string {
  return rc.address.slice((rc.module_address?.length ?? -1) + 1);
}

export async function planModuleChanges(cases: readonly ModuleCase[]): Promise<ModuleChangePlans> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-ami-rollout-module-plans-'));
  const timingsMs: number[] = [];
  try {
    fs.cpSync(MODULE_DIR, path.join(work, 'module'), { recursive: true });
    writeRoot(path.join(work, 'before'), cases, 'before');
    writeRoot(path.join(work, 'after'), cases, 'after');
    const plan = async (which: 'before' | 'after', statePath?: string) => {
      const started = Date.now();
      const planArgs = statePath ? ['-refresh=false', `-state=${statePath}`] : [];
      const result = await planStack(path.join(work, which), { validate: false, planArgs });
      timingsMs.push(Date.now() - started);
      return result.plan;
    };
    const initialPlan = await plan('before');
    const seeded = filledValues(initialPlan);
    // Two settling passes: the first computes what depends on seeded ids/ARNs (event patterns, policy documents); data
    // sources that depend on a resource the first pass still changes are read only in the second.
    let settled = seeded;
    let settlePlan = initialPlan;
    for (const pass of [1, 2]) {
      const statePath = path.join(work, `settle-${pass}.tfstate`);
      fs.writeFileSync(statePath, stateFileFor(initialPlan, settled));
      settlePlan = await plan('before', statePath);
      settled = mergeKnownValues(settled, settlePlan);
    }
    const byModule = new Map(cases.map((c) => [`module.${c.name}`, c]));
    const s2 = path.join(work, 's2.tfstate');
    fs.writeFileSync(
      s2,
      stateFileFor(initialPlan, settled, (rc) => {
        const own = byModule.get(rc.module_address ?? '')?.stateAddress;
        if (own) return own(rc, localAddress(rc));
        return { module: rc.module_address, type: rc.type, name: rc.name, index: rc.index };
      }),
    );
    const changePlan = await plan('after', s2);
    return {
      plan: changePlan,
      initialPlan,
      settlePlan,
      timingsMs,
      changesOf: (name) =>
        (changePlan.resource_changes ?? []).filter(
          (rc) => rc.mode === 'managed' && rc.module_address === `module.${name}`,
        ),
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
