/**
 * The role policies our constructs synthesize, as IAM policy JSON with every Terraform reference resolved to the
 * value it would have in one account and Region — so an IAM evaluator can decide requests against exactly what
 * `terraform apply` would attach. Only the expressions our constructs use are resolved; anything else throws, so a
 * new kind of reference cannot silently become a wildcard.
 */
import type { SynthJson } from '../../support/synth';
import { resolveTokens, type AccountContext } from '../../support/terraform-expressions';

export type { AccountContext } from '../../support/terraform-expressions';

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
