/**
 * The parts of `terraform show -json` (https://developer.hashicorp.com/terraform/internals/json-format) that
 * plan-summary reads, typed loosely, and the checks that tell a plan from other JSON.
 */
import { CliError } from '../errors';
import { EXIT } from '../exit-codes';

export type ChangeAction = 'no-op' | 'create' | 'read' | 'update' | 'delete' | 'forget';
export type Values = Record<string, unknown>;

export interface PlanResourceChange {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly action_reason?: string;
  readonly change: {
    readonly actions: ChangeAction[];
    readonly before: Values | null;
    readonly after: Values | null;
    readonly after_unknown?: Values;
    readonly replace_paths?: unknown[][];
  };
}

export interface TerraformPlanJson {
  readonly format_version?: string;
  readonly terraform_version?: string;
  readonly resource_changes?: PlanResourceChange[];
}

/** Parses `text` as a plan, or fails with exit code 65 saying what is wrong. */
export function parsePlanJson(text: string, source: string): TerraformPlanJson {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      `${source} is not JSON (${(error as Error).message}). Pass the output of \`terraform show -json PLANFILE\`.`,
      EXIT.BAD_INPUT,
    );
  }
  const plan = value as TerraformPlanJson;
  if (
    typeof value !== 'object' ||
    value === null ||
    typeof plan.format_version !== 'string' ||
    !('planned_values' in value || 'resource_changes' in value)
  ) {
    throw new CliError(
      `${source} is not a Terraform plan in JSON (no format_version / resource_changes). Create it with ` +
        '`terraform plan -out=tfplan && terraform show -json tfplan > plan.json`.',
      EXIT.BAD_INPUT,
    );
  }
  return plan;
}

/** "replace" for delete+create in either order, else the single action. */
export function actionOf(
  change: PlanResourceChange,
): 'create' | 'update' | 'delete' | 'replace' | 'no-op' | 'read' | 'forget' {
  const actions = change.change.actions;
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  return actions[0] ?? 'no-op';
}

/**
 * The value at `path` (keys and list indexes) of a nested before/after/after_unknown object. Own keys only: some steps
 * come from the plan itself (an ASG's instance_refresh triggers), and "constructor" must not find Object.prototype's.
 */
export function at(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}
