/**
 * Types and accessors for `terraform show -json` of a saved plan.
 */

export type ChangeAction = 'no-op' | 'create' | 'read' | 'update' | 'delete';

export interface ResourceChange {
  readonly address: string;
  readonly module_address?: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
  readonly provider_name: string;
  readonly change: {
    readonly actions: ChangeAction[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
    /** `true` (or a nested object of `true`s) for values known only after apply. */
    readonly after_unknown: Record<string, unknown>;
  };
}

export interface StateResource {
  readonly address: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly values: Record<string, unknown>;
}

export interface StateModule {
  readonly resources?: StateResource[];
  readonly child_modules?: StateModule[];
}

export interface PlanJson {
  readonly format_version: string;
  readonly terraform_version: string;
  readonly planned_values?: {
    readonly root_module: StateModule;
    readonly outputs?: Record<string, { value?: unknown }>;
  };
  readonly resource_changes?: ResourceChange[];
  readonly prior_state?: { readonly values?: { readonly root_module: StateModule } };
  readonly configuration?: Record<string, unknown>;
  readonly variables?: Record<string, { value: unknown }>;
  readonly errored?: boolean;
}

/** `resource_changes` entries (managed resources and deferred data reads), optionally of one type. */
export function resourceChanges(plan: PlanJson, type?: string): ResourceChange[] {
  return (plan.resource_changes ?? []).filter((rc) => type === undefined || rc.type === type);
}

/** Planned `after` values of the managed resources of one type that the plan keeps (create/update/no-op). */
export function resourcesOfType<T = Record<string, unknown>>(plan: PlanJson, type: string): T[] {
  return resourceChanges(plan, type)
    .filter((rc) => rc.mode === 'managed' && rc.change.after !== null)
    .map((rc) => rc.change.after as T);
}

/** Planned `after` value of one managed resource; the error lists the addresses the plan has. */
export function resourceByAddress<T = Record<string, unknown>>(plan: PlanJson, address: string): T {
  const found = resourceChanges(plan).find((rc) => rc.address === address);
  if (!found?.change.after) {
    const known = resourceChanges(plan).map((rc) => rc.address);
    throw new Error(`No planned resource ${address} in the plan; it has: ${known.join(', ') || '(none)'}`);
  }
  return found.change.after as T;
}

/** Data sources of one type: values read at plan time (prior_state) plus planned values of reads deferred to apply. */
export function dataSourcesOfType<T = Record<string, unknown>>(plan: PlanJson, type: string): T[] {
  const read: StateResource[] = [];
  const walk = (m?: StateModule): void => {
    m?.resources?.forEach((r) => r.mode === 'data' && r.type === type && read.push(r));
    m?.child_modules?.forEach(walk);
  };
  walk(plan.prior_state?.values?.root_module);
  const deferred = resourceChanges(plan, type).filter((rc) => rc.mode === 'data' && rc.change.after);
  return [...read.map((r) => r.values as T), ...deferred.map((rc) => rc.change.after as T)];
}

/** Planned root-module output values (unknown-until-apply outputs are absent). */
export function plannedOutputs(plan: PlanJson): Record<string, unknown> {
  return Object.fromEntries(Object.entries(plan.planned_values?.outputs ?? {}).map(([k, o]) => [k, o.value]));
}
