/**
 * The role policies our constructs synthesize, as IAM policy JSON with every Terraform reference resolved to the
 * value it would have in one account and Region — so an IAM evaluator can decide requests against exactly what
 * `terraform apply` would attach. Only the expressions our constructs use are resolved; anything else throws, so a
 * new kind of reference cannot silently become a wildcard.
 */
import type { SynthJson } from '../../support/synth';

export interface AccountContext {
  readonly region: string;
  readonly account: string;
  readonly partition?: string;
}

export interface IamStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: Record<string, Record<string, string[]>>;
}

export interface IamPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: IamStatement[];
}

interface TfCondition {
  test: string;
  variable: string;
  values: string[];
}

interface TfStatement {
  sid?: string;
  effect?: string;
  actions?: string[];
  resources?: string[];
  condition?: TfCondition[];
  not_actions?: unknown;
  not_resources?: unknown;
  principals?: unknown;
}

/** The Auto Scaling group id is a UUID AWS assigns; our policies never pin it. */
const ASG_UUID = '00000000-0000-0000-0000-000000000001';

function resourceConfig(json: SynthJson, type: string, name: string): Record<string, unknown> {
  const config = json.resource?.[type]?.[name] as Record<string, unknown> | undefined;
  if (!config) throw new Error(`reference to ${type}.${name}, which the stack does not contain`);
  return config;
}

function arnOf(type: string, name: string, ctx: Required<AccountContext>): string {
  const { partition: p, region: r, account: a } = ctx;
  switch (type) {
    case 'aws_ecs_cluster':
      return `arn:${p}:ecs:${r}:${a}:cluster/${name}`;
    case 'aws_autoscaling_group':
      return `arn:${p}:autoscaling:${r}:${a}:autoScalingGroup:${ASG_UUID}:autoScalingGroupName/${name}`;
    case 'aws_ssm_parameter':
      return `arn:${p}:ssm:${r}:${a}:parameter/${name.replace(/^\//, '')}`;
    case 'aws_sns_topic':
      return `arn:${p}:sns:${r}:${a}:${name}`;
    case 'aws_sqs_queue':
      return `arn:${p}:sqs:${r}:${a}:${name}`;
    case 'aws_cloudwatch_log_group':
      return `arn:${p}:logs:${r}:${a}:log-group:${name}`;
    case 'aws_cloudwatch_event_rule':
      return `arn:${p}:events:${r}:${a}:rule/${name}`;
    case 'aws_lambda_function':
      return `arn:${p}:lambda:${r}:${a}:function:${name}`;
    default:
      throw new Error(`no ARN rule for ${type}: add one to __tests__/iam/support/synthesized-policies.ts`);
  }
}

/** Resolves one Terraform expression (the text inside `${…}`). */
function evaluate(expression: string, json: SynthJson, ctx: Required<AccountContext>): string {
  const trim = /^trimprefix\((.+), "(.*)"\)$/.exec(expression.trim());
  if (trim) {
    const value = evaluate(trim[1], json, ctx);
    return value.startsWith(trim[2]) ? value.slice(trim[2].length) : value;
  }
  const parts = expression.trim().split('.');
  if (parts[0] === 'data' && parts.length === 4) {
    const [, type, , attribute] = parts;
    if (type === 'aws_partition' && attribute === 'partition') return ctx.partition;
    if (type === 'aws_region' && (attribute === 'name' || attribute === 'region')) return ctx.region;
    if (type === 'aws_caller_identity' && attribute === 'account_id') return ctx.account;
    if (type === 'aws_ecs_cluster') {
      // An adopted cluster, looked up by name.
      const config = json.data?.aws_ecs_cluster?.[parts[2]] as { cluster_name?: string } | undefined;
      if (!config?.cluster_name) throw new Error(`data.aws_ecs_cluster.${parts[2]} has no cluster_name`);
      const name = resolveTokens(config.cluster_name, json, ctx);
      if (attribute === 'arn' || attribute === 'id') return arnOf('aws_ecs_cluster', name, ctx);
      if (attribute === 'cluster_name') return name;
    }
    throw new Error(`cannot resolve data source reference ${expression}`);
  }
  if (parts.length !== 3) throw new Error(`cannot resolve Terraform expression ${expression}`);
  const [type, name, attribute] = parts;
  const config = resourceConfig(json, type, name);
  const configuredName = (type === 'aws_lambda_function' ? config.function_name : config.name) as string | undefined;
  if (configuredName === undefined) throw new Error(`${type}.${name} has no fixed name (name_prefix?)`);
  const resolvedName = resolveTokens(configuredName, json, ctx);
  if (attribute === 'name' || attribute === 'id' || attribute === 'function_name') return resolvedName;
  if (attribute === 'arn') return arnOf(type, resolvedName, ctx);
  throw new Error(`cannot resolve attribute ${attribute} of ${type}`);
}

/** Replaces every `${…}` in a string with its value. */
export function resolveTokens(value: string, json: SynthJson, context: AccountContext): string {
  const ctx = { partition: 'aws', ...context };
  return value.replace(/\$\{([^}]*)\}/g, (_, expression: string) => evaluate(expression, json, ctx));
}

function toStatement(statement: TfStatement, json: SynthJson, ctx: AccountContext): IamStatement {
  if (statement.not_actions !== undefined || statement.not_resources !== undefined)
    throw new Error('NotAction / NotResource statements are not expected in role policies');
  const resolve = (values: string[] = []): string[] => values.map((v) => resolveTokens(v, json, ctx));
  const condition: Record<string, Record<string, string[]>> = {};
  for (const c of statement.condition ?? []) {
    condition[c.test] = { ...(condition[c.test] ?? {}), [c.variable]: resolve(c.values) };
  }
  return {
    ...(statement.sid ? { Sid: statement.sid } : {}),
    Effect: statement.effect === 'Deny' ? 'Deny' : 'Allow',
    Action: statement.actions ?? [],
    Resource: resolve(statement.resources),
    ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
  };
}

/**
 * Every Lambda execution-role policy of the stack, keyed by the function's construct id (`launch-gate`,
 * `drain-gate`, `ami-watcher`, `agent-monitor`), read from the `aws_iam_role_policy` → `aws_iam_policy_document`
 * pairs the constructs synthesize.
 */
export function rolePolicies(json: SynthJson, ctx: AccountContext): Map<string, IamPolicy> {
  const documents = (json.data?.aws_iam_policy_document ?? {}) as Record<string, { statement?: TfStatement[] }>;
  const policies = new Map<string, IamPolicy>();
  for (const rolePolicy of Object.values(json.resource?.aws_iam_role_policy ?? {})) {
    const reference = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(String(rolePolicy.policy));
    if (!reference) throw new Error(`role policy ${String(rolePolicy.policy)} is not a policy document reference`);
    const key = /_([A-Za-z0-9-]+)_RolePolicyDocument_[0-9A-F]+$/.exec(reference[1])?.[1];
    if (!key) throw new Error(`cannot tell which function ${reference[1]} belongs to`);
    const statements = documents[reference[1]]?.statement ?? [];
    policies.set(key, { Version: '2012-10-17', Statement: statements.map((s) => toStatement(s, json, ctx)) });
  }
  return policies;
}
