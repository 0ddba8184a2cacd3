/**
 * Policy suite, IAM: every statement of every `aws_iam_policy_document` in every representative configuration (plus a
 * function with every opt-in switch on), one test per scanner rule. The `*` resources and weakened defaults must be
 * exactly the ones listed in lib/security/policy-exceptions.ts — no more (a new one fails), no fewer (a stale entry
 * fails).
 */
import { exceptionsOfKind, POLICY_EXCEPTIONS } from '../../../lib/security/policy-exceptions';
import { resourcesOf, SynthJson } from '../../support/synth';
import {
  allScenarios,
  allStatements,
  hardenedFunction,
  hasCondition,
  identityStatements,
  isMutating,
  PolicyStatement,
} from '../support/scenarios';

/** Every scenario plus the hardened function (the only place the opt-in X-Ray grant appears). */
function everything(): [string, SynthJson][] {
  return [...allScenarios(), ['hardened function', hardenedFunction()]];
}

function everyIdentityStatement(): { where: string; statement: PolicyStatement }[] {
  return everything().flatMap(([name, json]) =>
    identityStatements(json).map((statement) => ({ where: `${name} / ${statement.sid}`, statement })),
  );
}

/** The construct id of the function whose inline policy a document is: `…_<function id>_RolePolicyDocument_<hash>`. */
function functionOf(documentKey: string): string {
  return /(?:^|_)([^_]+)_RolePolicyDocument_/.exec(documentKey)?.[1] ?? documentKey;
}

/** Statements (identity policies) whose resources include `*`, as "function sid action" triples. */
function wildcardGrants(): Set<string> {
  return new Set(
    everyIdentityStatement()
      .filter(({ statement }) => statement.resources.includes('*'))
      .flatMap(({ statement }) =>
        statement.actions.map((action) => `${functionOf(statement.document)} ${statement.sid} ${action}`),
      ),
  );
}

/** The listed "*" grants as the same triples (`any` matches the functions that opted in: the hardened one here). */
function listedGrants(): Set<string> {
  return new Set(
    exceptionsOfKind('iam-wildcard-resource').flatMap((e) =>
      e.functions.flatMap((fn) => e.actions.map((action) => `${fn === 'any' ? 'hardened' : fn} ${e.sid} ${action}`)),
    ),
  );
}

/**
 * Detectors of the setting exceptions: true when the deviation is present in the synthesized JSON. Every setting
 * exception needs one (else the test below fails), so the list and the code cannot drift apart.
 */
const DEVIATION_DETECTORS: Record<string, (json: SynthJson) => boolean> = {
  'lambda-tracing-passthrough': (json) =>
    resourcesOf(json, 'aws_lambda_function').some((f) => f.tracing_config?.mode === 'PassThrough'),
  'lambda-reserved-concurrency-unset': (json) =>
    resourcesOf(json, 'aws_lambda_function').some((f) => f.reserved_concurrent_executions === -1),
  'lambda-environment-aws-managed-key': (json) =>
    resourcesOf(json, 'aws_lambda_function').some((f) => f.kms_key_arn === undefined),
  'log-group-default-encryption': (json) =>
    resourcesOf(json, 'aws_cloudwatch_log_group').some((g) => g.kms_key_id === undefined),
  'log-retention-30-days': (json) =>
    resourcesOf(json, 'aws_cloudwatch_log_group').some((g) => g.retention_in_days < 365),
  'sns-aws-managed-key': (json) =>
    resourcesOf(json, 'aws_sns_topic').some((t) => t.kms_master_key_id === 'alias/aws/sns'),
  'sqs-managed-sse': (json) =>
    resourcesOf(json, 'aws_sqs_queue').some(
      (q) => q.sqs_managed_sse_enabled === true && q.kms_master_key_id === undefined,
    ),
  'lambda-outside-vpc': (json) => resourcesOf(json, 'aws_lambda_function').some((f) => f.vpc_config === undefined),
  'lambda-no-code-signing': (json) =>
    resourcesOf(json, 'aws_lambda_function').some((f) => f.code_signing_config_arn === undefined),
  'ssm-parameters-plain-string': (json) =>
    resourcesOf(json, 'aws_ssm_parameter').some((p) => p.type !== 'SecureString'),
};

/** Registers the rule tests (called by ../policy.test.ts, which synthesizes every scenario once). */
export function registerIamRules(): void {
  describe('policy suite: IAM', () => {
    test('the suite reads real policies: every function role has an identity policy with statements', () => {
      for (const [name, json] of allScenarios()) {
        expect([name, resourcesOf(json, 'aws_iam_role_policy').length]).toEqual([
          name,
          resourcesOf(json, 'aws_lambda_function').length,
        ]);
        expect([name, identityStatements(json).length > 10]).toEqual([name, true]);
      }
    });

    test('CKV_AWS_1 / CKV_AWS_49 / CKV_AWS_63: no "*" or "service:*" action, no NotAction/NotResource anywhere', () => {
      for (const [name, json] of everything()) {
        for (const statement of allStatements(json)) {
          for (const action of statement.actions)
            expect([name, statement.sid, action]).toEqual([
              name,
              statement.sid,
              expect.stringMatching(/^[a-z0-9-]+:[A-Za-z0-9]+$/),
            ]);
          expect([name, statement.sid, statement.notActions, statement.notResources]).toEqual([
            name,
            statement.sid,
            undefined,
            undefined,
          ]);
        }
      }
    });

    test('CKV_AWS_290 / CKV_AWS_355: no mutating action on "*" without a condition, but the listed exceptions', () => {
      const allowed = listedGrants();
      for (const { where, statement } of everyIdentityStatement()) {
        if (!statement.resources.includes('*') || hasCondition(statement)) continue;
        for (const action of statement.actions.filter(isMutating)) {
          expect([where, action, allowed.has(`${functionOf(statement.document)} ${statement.sid} ${action}`)]).toEqual([
            where,
            action,
            true,
          ]);
        }
      }
    });

    test('policy exceptions: the "*" resources are EXACTLY the listed ones (new "*" fails, stale entry fails)', () => {
      // GIVEN the list in lib/security/policy-exceptions.ts WHEN every configuration is synthesized
      // THEN the "*" grants found (function, sid, action) equal the list
      expect([...wildcardGrants()].sort()).toEqual([...listedGrants()].sort());
    });

    test('policy exceptions: weakened defaults are EXACTLY the listed settings, each with reason and rule ids', () => {
      const settings = exceptionsOfKind('setting');
      // Every listed setting exception has a detector, and every detector an entry
      expect(Object.keys(DEVIATION_DETECTORS).sort()).toEqual(settings.map((e) => e.id).sort());
      // Every listed deviation is really present in the default stack (else the entry is stale)
      const defaults = allScenarios()[0][1];
      for (const exception of settings)
        expect([exception.id, DEVIATION_DETECTORS[exception.id](defaults)]).toEqual([exception.id, true]);
      // Ids are unique, reasons and rules given
      expect(new Set(POLICY_EXCEPTIONS.map((e) => e.id)).size).toBe(POLICY_EXCEPTIONS.length);
      for (const exception of POLICY_EXCEPTIONS) {
        expect([exception.id, exception.reason.length > 20, exception.rules.length > 0]).toEqual([
          exception.id,
          true,
          true,
        ]);
      }
    });

    test('CKV_AWS_286: no iam:PassRole (on "*" or anywhere), no IAM or STS action in any identity policy', () => {
      for (const { where, statement } of everyIdentityStatement()) {
        for (const action of statement.actions)
          expect([where, action]).toEqual([where, expect.not.stringMatching(/^(iam|sts):/)]);
      }
    });

    test('CKV_AWS_287 / CKV_AWS_288: credential and data reads (ssm:GetParameter, kms:Decrypt, …) never on "*"', () => {
      for (const { where, statement } of everyIdentityStatement()) {
        const sensitive = statement.actions.filter((a) =>
          /^(ssm:GetParameter|kms:Decrypt|secretsmanager:|s3:GetObject)/.test(a),
        );
        if (sensitive.length > 0)
          expect([where, statement.resources]).toEqual([where, expect.not.arrayContaining(['*'])]);
      }
      // AND the webhook key is usable through SSM only
      const webhook = everyIdentityStatement().filter(({ statement }) => statement.sid === 'DecryptWebhookUrl');
      expect(webhook.length).toBeGreaterThan(0);
      for (const { statement } of webhook)
        expect(statement.condition).toEqual([expect.objectContaining({ variable: 'kms:ViaService' })]);
    });

    test('CKV_AWS_289: no permissions management (IAM, resource or Lambda permissions) in any identity policy', () => {
      const management =
        /^(iam:|organizations:|lambda:(AddPermission|RemovePermission|CreateFunction|UpdateFunction)|sqs:(SetQueueAttributes|AddPermission)|sns:(SetTopicAttributes|AddPermission)|kms:(CreateGrant|PutKeyPolicy)|ecs:(PutAccountSetting|RegisterTaskDefinition))/;
      for (const { where, statement } of everyIdentityStatement()) {
        for (const action of statement.actions)
          expect([where, action]).toEqual([where, expect.not.stringMatching(management)]);
      }
    });

    test('ECS mutations are confined to the cluster (ecs:cluster condition or a cluster-scoped ARN)', () => {
      for (const { where, statement } of everyIdentityStatement()) {
        const ecsMutations = statement.actions.filter((a) => a.startsWith('ecs:') && isMutating(a));
        if (ecsMutations.length === 0) continue;
        const clusterScoped = statement.resources.every((r) =>
          /:(container-instance|task|service)\/\$\{[^}]+\}\/\*$/.test(r),
        );
        expect([where, clusterScoped]).toEqual([where, true]);
      }
    });

    test('trust policies: roles are assumable by their AWS service only, never by "*" or an account', () => {
      for (const [name, json] of allScenarios()) {
        for (const statement of allStatements(json).filter((s) => s.actions.includes('sts:AssumeRole'))) {
          expect([name, statement.principals]).toEqual([
            name,
            [{ type: 'Service', identifiers: [expect.stringMatching(/^(lambda|ec2)\.amazonaws\.com$/)] }],
          ]);
        }
      }
    });

    test('CKV_AWS_274: the instance role gets only the ECS agent and Session Manager managed policies', () => {
      for (const [name, json] of allScenarios()) {
        const arns = resourcesOf(json, 'aws_iam_role_policy_attachment').map((a) =>
          String(a.policy_arn).replace(/^arn:[^:]+:iam::aws:policy\//, ''),
        );
        expect([name, arns.sort()]).toEqual([
          name,
          ['AmazonSSMManagedInstanceCore', 'service-role/AmazonEC2ContainerServiceforEC2Role'],
        ]);
      }
    });
  });
}
