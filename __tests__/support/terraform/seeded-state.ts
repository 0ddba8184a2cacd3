/**
 * Builds a Terraform state file (format v4) from a plan's planned values, so that a second, REAL `terraform plan`
 * (`-refresh=false -state=<file>`) sees those resources as already deployed and produces a genuine update/replace plan.
 *
 * Why: `terraform apply` cannot run offline (it would create AWS resources), and a plan against empty state only ever
 * shows creates. Planned values already have the exact state shape (`schema_version` + every attribute); only values
 * "known after apply" are missing. Those are filled here, the way an apply would fill them:
 *   - an attribute whose configuration is a plain reference (`${aws_x.y.attr}`) gets the referenced (filled) value, so
 *     `launch_template.id` equals the launch template's `id` exactly as after a real apply;
 *   - any other unknown gets a deterministic fake of the attribute's type (ids, ARNs, versions — provider-computed).
 * Values derived from unknowns through expressions (policy documents, JSON-encoded event patterns) cannot be computed
 * here; {@link mergeKnownValues} takes them from a plan made against this seeded state, where Terraform computed them.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { PlanJson, ResourceChange } from '../terraform-harness';

type Json = Record<string, unknown>;

const FAKE_REGION = 'us-east-1';
const FAKE_ACCOUNT = '123456789012';

/** Computed attributes that are not strings, per `type.attribute` (or `*.attribute`). Everything else: string. */
const KIND: Readonly<Record<string, 'number' | 'bool' | 'list' | 'map'>> = {
  '*.latest_version': 'number',
  '*.default_version': 'number',
  'aws_ssm_parameter.version': 'number',
  '*.default_cooldown': 'number',
  '*.predicted_capacity': 'number',
  '*.warm_pool_size': 'number',
  '*.source_code_size': 'number',
  '*.iops': 'number',
  '*.throughput': 'number',
  '*.volume_initialization_rate': 'number',
  'aws_sns_topic.signature_version': 'number',
  '*.has_value_wo': 'bool',
  '*.availability_zone_distribution': 'list',
  '*.availability_zones': 'list',
  '*.capacity_reservation_specification': 'list',
  '*.load_balancers': 'list',
  '*.mixed_instances_policy': 'list',
  '*.target_group_arns': 'list',
  '*.traffic_source': 'list',
  '*.inline_policy': 'list',
  '*.managed_policy_arns': 'list',
  '*.ephemeral_storage': 'list',
  'aws_lambda_function.tracing_config': 'list',
  // The gates' SQS event source mappings (lambdas/gates reads its buffer through one).
  'aws_lambda_event_source_mapping.amazon_managed_kafka_event_source_config': 'list',
  'aws_lambda_event_source_mapping.self_managed_kafka_event_source_config': 'list',
  'aws_lambda_event_source_mapping.maximum_record_age_in_seconds': 'number',
  'aws_lambda_event_source_mapping.maximum_retry_attempts': 'number',
  'aws_lambda_event_source_mapping.parallelization_factor': 'number',
  '*.variables': 'map',
};

function kindOf(type: string, attribute: string): 'number' | 'bool' | 'list' | 'map' | 'string' {
  return KIND[`${type}.${attribute}`] ?? KIND[`*.${attribute}`] ?? 'string';
}

function fakeValue(rc: ResourceChange, attribute: string): unknown {
  switch (kindOf(rc.type, attribute)) {
    case 'number':
      return 1;
    case 'bool':
      return false;
    case 'list':
      return [];
    case 'map':
      return {};
    case 'string': {
      // for_each / count instances get their key, so two node groups never share a fake id or ARN
      const instance = rc.index === undefined ? '' : `-${String(rc.index)}`;
      const shortName = `${rc.name.replace(/_[0-9A-F]{8}$/, '')}${instance}`.slice(-40);
      const groupName = rc.change.after?.name;
      // The real shape (`…:autoScalingGroup:<uuid>:autoScalingGroupName/<name>`): readers take the name from it.
      if (attribute === 'arn' && rc.type === 'aws_autoscaling_group' && typeof groupName === 'string') {
        const hex = createHash('sha256').update(rc.address).digest('hex');
        const id = [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join(
          '-',
        );
        const account = `arn:aws:autoscaling:${FAKE_REGION}:${FAKE_ACCOUNT}`;
        return `${account}:autoScalingGroup:${id}:autoScalingGroupName/${groupName}`;
      }
      // ARNs the handlers parse get their documented shapes ("Amazon Resource Names (ARNs)" of ECS and SNS:
      // arn:aws:ecs:<region>:<account>:cluster/<name>, arn:aws:sns:<region>:<account>:<topic>).
      if (attribute === 'arn' && typeof groupName === 'string') {
        if (rc.type === 'aws_ecs_cluster') return `arn:aws:ecs:${FAKE_REGION}:${FAKE_ACCOUNT}:cluster/${groupName}`;
        if (rc.type === 'aws_sns_topic') return `arn:aws:sns:${FAKE_REGION}:${FAKE_ACCOUNT}:${groupName}`;
      }
      if (attribute === 'arn' || attribute.endsWith('_arn')) {
        const service = rc.type.split('_')[1];
        return `arn:aws:${service}:${FAKE_REGION}:${FAKE_ACCOUNT}:${rc.type.slice(4)}/${shortName}`;
      }
      // A launch template's fake latest_version is 1: the group's version reference resolves to it after an apply.
      if (attribute === 'version' && rc.type === 'aws_autoscaling_group') return '1';
      if (attribute === 'url') return `https://sqs.${FAKE_REGION}.amazonaws.com/${FAKE_ACCOUNT}/${shortName}`;
      // Ids that configurations reference are validated by the provider: give them the real format.
      if (attribute === 'id' && ID_PREFIX[rc.type])
        return `${ID_PREFIX[rc.type]}${createHash('sha256').update(rc.address).digest('hex').slice(0, 17)}`;
      if (IDENTIFIERS.test(attribute)) return `fake-${attribute}-${shortName}`.replace(/_/g, '-');
      // Other computed strings stay empty: for the provider that is "not set", so no validation rule trips over a fake.
      return '';
    }
  }
}

/** Computed strings that identify a resource and must be non-empty (an empty `id` means "does not exist"). */
const IDENTIFIERS = /^(id|name|unique_id|owner|version|invoke_arn|qualified_arn|qualified_invoke_arn|code_sha256)$/;

/** AWS id formats the provider validates where another resource references the id. */
const ID_PREFIX: Readonly<Record<string, string>> = { aws_launch_template: 'lt-' };

const PLAIN_REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;

interface Expressions {
  [key: string]: unknown;
}

/** Configuration expressions of every managed resource, by address. */
function expressionsByAddress(plan: PlanJson): Map<string, Expressions> {
  const resources = ((plan.configuration as Json | undefined)?.root_module as Json | undefined)?.resources as
    { address: string; expressions?: Expressions }[] | undefined;
  return new Map((resources ?? []).map((r) => [r.address, r.expressions ?? {}]));
}

/**
 * Planned values with every unknown filled, by address. Plain references are resolved after the fakes are in place,
 * repeatedly, so chains (role → instance profile → launch template) settle.
 */
export function filledValues(plan: PlanJson): Map<string, Json> {
  const managed = (plan.resource_changes ?? []).filter((rc) => rc.mode === 'managed' && rc.change.after !== null);
  const values = new Map<string, Json>();
  const references: { address: string; path: (string | number)[]; target: [string, string] }[] = [];
  const expressions = expressionsByAddress(plan);

  const fill = (
    rc: ResourceChange,
    after: Json | unknown[],
    unknown: unknown,
    exprs: unknown,
    path: (string | number)[],
  ) => {
    if (unknown === null || typeof unknown !== 'object') return;
    for (const [key, flag] of Object.entries(unknown as Json)) {
      const index = Array.isArray(after) ? Number(key) : key;
      const expr = Array.isArray(exprs) ? exprs[Number(key)] : (exprs as Json | undefined)?.[key];
      if (flag === true) {
        const attribute = typeof index === 'number' ? String(path[path.length - 1]) : key;
        (after as Json)[key] = fakeValue(rc, attribute);
        const reference = PLAIN_REFERENCE.exec(String((expr as Json | undefined)?.constant_value ?? ''));
        if (reference)
          references.push({
            address: rc.address,
            path: [...path, index],
            target: [`${reference[1]}.${reference[2]}`, reference[3]],
          });
      } else if (typeof flag === 'object' && flag !== null) {
        (after as Json)[key] ??= Array.isArray(flag) ? [] : {};
        fill(rc, (after as Json)[key] as Json, flag, expr, [...path, index]);
      }
    }
  };
  for (const rc of managed) {
    const after = structuredClone(rc.change.after) as Json;
    fill(rc, after, rc.change.after_unknown, expressions.get(rc.address), []);
    values.set(rc.address, after);
  }
  for (let round = 0; round < 5; round++) {
    for (const ref of references) {
      const target = values.get(ref.target[0])?.[ref.target[1]];
      if (target === undefined) continue;
      let holder: Json = values.get(ref.address) as Json;
      ref.path.slice(0, -1).forEach((step) => (holder = holder[step as string] as Json));
      holder[ref.path[ref.path.length - 1] as string] = target;
    }
  }
  return values;
}

/** Every known value of `plan` wins over `seeded`; what the plan leaves unknown keeps the seeded (fake) value. */
export function mergeKnownValues(seeded: Map<string, Json>, plan: PlanJson): Map<string, Json> {
  const merged = new Map(seeded);
  const overlay = (base: unknown, after: unknown, unknown: unknown): unknown => {
    if (unknown === true) return base;
    if (after === null || typeof after !== 'object') return after;
    const out: Json | unknown[] = Array.isArray(after) ? [...after] : { ...(after as Json) };
    for (const key of Object.keys(unknown && typeof unknown === 'object' ? unknown : {})) {
      (out as Json)[key] = overlay((base as Json | undefined)?.[key], (after as Json)[key], (unknown as Json)[key]);
    }
    return out;
  };
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed' || rc.change.after === null || !seeded.has(rc.address)) continue;
    merged.set(rc.address, overlay(seeded.get(rc.address), rc.change.after, rc.change.after_unknown) as Json);
  }
  return merged;
}

type PathStep = { type: 'get_attr'; value: string } | { type: 'index'; value: { value: number; type: 'number' } };

/** `sensitive_values` (`{ value: true, list: [true] }`) → state `sensitive_attributes` paths. */
function sensitivePaths(marks: unknown, prefix: PathStep[] = []): PathStep[][] {
  if (marks === true) return [prefix];
  if (marks === null || typeof marks !== 'object') return [];
  return Object.entries(marks as Json).flatMap(([key, value]) =>
    sensitivePaths(value, [
      ...prefix,
      Array.isArray(marks)
        ? { type: 'index', value: { value: Number(key), type: 'number' } }
        : { type: 'get_attr', value: key },
    ]),
  );
}

/** Where a resource instance lives in state: its module, type, name and instance key (renames for upgrade tests). */
export interface StateAddress {
  readonly module?: string;
  readonly type: string;
  readonly name: string;
  readonly index?: string | number;
}

type Planned = { address: string; schema_version?: number; sensitive_values?: unknown };

/** Planned resources of every module, by address. */
function plannedByAddress(plan: PlanJson): Map<string, Planned> {
  const found = new Map<string, Planned>();
  type Module = { resources?: Planned[]; child_modules?: Module[] };
  const visit = (module: Module | undefined) => {
    for (const r of module?.resources ?? []) found.set(r.address, r);
    (module?.child_modules ?? []).forEach(visit);
  };
  visit(plan.planned_values?.root_module as Module | undefined);
  return found;
}

/**
 * A v4 state file holding `values`. Schema versions and sensitivity come from the plan's planned values: a state
 * without the sensitivity marks would make Terraform plan an update for every resource with a sensitive attribute.
 * Resources in child modules and instances of `count` / `for_each` get their module and index key; `rename` may move
 * an instance to another address (e.g. the names of an earlier release) or drop it (undefined).
 */
export function stateFileFor(
  plan: PlanJson,
  values: Map<string, Json>,
  rename: (rc: ResourceChange) => StateAddress | undefined = (rc) => ({
    module: rc.module_address,
    type: rc.type,
    name: rc.name,
    index: rc.index,
  }),
): string {
  const planned = plannedByAddress(plan);
  const grouped = new Map<string, { address: StateAddress; provider: string; instances: Json[] }>();
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== 'managed' || !values.has(rc.address)) continue;
    const address = rename(rc);
    if (!address) continue;
    const key = JSON.stringify([address.module, address.type, address.name]);
    const group = grouped.get(key) ?? { address, provider: rc.provider_name, instances: [] };
    group.instances.push({
      ...(address.index === undefined ? {} : { index_key: address.index }),
      schema_version: planned.get(rc.address)?.schema_version ?? 0,
      attributes: values.get(rc.address),
      sensitive_attributes: sensitivePaths(planned.get(rc.address)?.sensitive_values),
    });
    grouped.set(key, group);
  }
  const resources = [...grouped.values()].map(({ address, provider, instances }) => {
    const index = address.index;
    return {
      ...(address.module ? { module: address.module } : {}),
      mode: 'managed',
      type: address.type,
      name: address.name,
      ...(index === undefined ? {} : { each: typeof index === 'number' ? 'list' : 'map' }),
      provider: `provider["${provider}"]`,
      instances,
    };
  });
  return JSON.stringify(
    {
      version: 4,
      terraform_version: plan.terraform_version,
      serial: 1,
      lineage: randomUUID(),
      outputs: {},
      resources,
      check_results: null,
    },
    null,
    1,
  );
}
