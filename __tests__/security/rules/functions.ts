/**
 * Policy suite, functions and messaging: every Lambda function, log group, permission, topic and queue of every
 * representative configuration, one test per scanner rule (named after the rule it mirrors).
 */
import { NODEJS_FUNCTION_DEFAULTS } from '../../../lib/function/props';
import { resourcesOf, synthRollout } from '../../support/synth';
import {
  allScenarios,
  entriesOf,
  hardenedFunction,
  isSecretLikeName,
  KMS_KEY_ARN,
  scenario,
  secretFindings,
} from '../support/scenarios';

import type { JsonObject as Json } from '../../support/json';

function functions(): { where: string; fn: Json }[] {
  return allScenarios().flatMap(([name, json]) =>
    resourcesOf(json, 'aws_lambda_function').map((fn) => ({ where: `${name} / ${fn.function_name}`, fn })),
  );
}

/** `${aws_xxx.key.attr}` → `key`, when the reference is to a resource of `type`. */
function referencedKey(reference: unknown, type: string, attribute: string): string | undefined {
  return new RegExp(`^\\$\\{${type}\\.([^.]+)\\.${attribute}\\}$`).exec(String(reference))?.[1];
}

/** Registers the rule tests (called by ../policy.test.ts, which synthesizes every scenario once). */
export function registerFunctionRules(): void {
  describe('policy suite: functions', () => {
    test('every scenario deploys functions to scan (gates, AMI watcher, agent monitor)', () => {
      const names = (json: Json) =>
        resourcesOf(json, 'aws_lambda_function')
          .map((f) => String(f.function_name).replace(/^prod-/, ''))
          .sort();
      expect(names(scenario('default'))).toEqual(['agent-monitor', 'ami-watcher', 'drain-gate', 'launch-gate']);
      expect(names(scenario('drainOwner ecs'))).toEqual(['agent-monitor', 'ami-watcher', 'launch-gate']);
    });

    test('CKV_AWS_115: reserved concurrency is opt-in (exception "lambda-reserved-concurrency-unset")', () => {
      // GIVEN the defaults WHEN synthesized THEN no function reserves concurrency (AWS's 100-unreserved rule)
      for (const { where, fn } of functions()) expect([where, fn.reserved_concurrent_executions]).toEqual([where, -1]);
      // AND with functions.reservedConcurrency every function of the product has that reservation
      const reserved = resourcesOf(synthRollout({ functions: { reservedConcurrency: 5 } }).json, 'aws_lambda_function');
      expect(reserved.map((fn) => fn.reserved_concurrent_executions)).toEqual([5, 5, 5, 5]);
    });

    test('CKV_AWS_116: every function has a DLQ for failed async invocations, every rule target one too', () => {
      for (const [name, json] of allScenarios()) {
        const queues = new Set(entriesOf(json, 'aws_sqs_queue').map(([key]) => key));
        for (const fn of resourcesOf(json, 'aws_lambda_function')) {
          expect([
            name,
            queues.has(referencedKey(fn.dead_letter_config?.target_arn, 'aws_sqs_queue', 'arn') ?? ''),
          ]).toEqual([name, true]);
        }
        for (const target of resourcesOf(json, 'aws_cloudwatch_event_target')) {
          expect([
            name,
            queues.has(referencedKey(target.dead_letter_config?.arn, 'aws_sqs_queue', 'arn') ?? ''),
          ]).toEqual([name, true]);
        }
      }
    });

    test('CKV_AWS_50: X-Ray tracing can be Active (default PassThrough is the listed exception)', () => {
      // GIVEN the defaults WHEN synthesized THEN PassThrough everywhere (exception "lambda-tracing-passthrough")
      expect(NODEJS_FUNCTION_DEFAULTS.tracingMode).toBe('PassThrough');
      for (const { where, fn } of functions())
        expect([where, fn.tracing_config]).toEqual([where, { mode: 'PassThrough' }]);
      // AND with tracingMode Active the function traces and may write traces
      const [active] = resourcesOf(hardenedFunction(), 'aws_lambda_function');
      expect(active.tracing_config).toEqual({ mode: 'Active' });
    });

    test('CKV_AWS_173: environment variables can be encrypted with a CMK (aws/lambda: listed exception)', () => {
      for (const { where, fn } of functions()) expect([where, fn.kms_key_arn]).toEqual([where, undefined]);
      const [encrypted] = resourcesOf(hardenedFunction(), 'aws_lambda_function');
      expect(encrypted.kms_key_arn).toBe(KMS_KEY_ARN);
      const statements: Json[] = Object.values(hardenedFunction().data?.aws_iam_policy_document ?? {}).flatMap(
        (d: Json) => d.statement ?? [],
      );
      expect(statements).toContainEqual(
        expect.objectContaining({ sid: 'DecryptEnvironment', actions: ['kms:Decrypt'], resources: [KMS_KEY_ARN] }),
      );
    });

    test('CKV_AWS_45: no environment variable looks like a secret; the webhook is passed by parameter NAME', () => {
      for (const { where, fn } of functions()) {
        for (const [name, value] of Object.entries((fn.environment?.variables ?? {}) as Record<string, string>)) {
          expect([where, name, isSecretLikeName(name)]).toEqual([where, name, false]);
          expect([where, name, secretFindings(String(value))]).toEqual([where, name, []]);
          expect([where, name, /^https?:\/\//i.test(String(value))]).toEqual([where, name, false]);
        }
      }
      // AND with a webhook configured every function gets the parameter's name, nothing else about it
      const webhookFunctions = resourcesOf(scenario('webhook configured'), 'aws_lambda_function');
      expect(webhookFunctions.map((fn) => fn.environment.variables.NOTIFY_WEBHOOK_PARAMETER)).toEqual(
        webhookFunctions.map(() => '/ops/slack-webhook'),
      );
    });

    test('CKV_AWS_363: every function runs a supported runtime (nodejs22.x, arm64)', () => {
      for (const { where, fn } of functions())
        expect([where, fn.runtime, fn.architectures]).toEqual([where, 'nodejs22.x', ['arm64']]);
    });

    test('CKV_AWS_301 / CKV_AWS_364: Lambda permissions are for service principals, source_arn our rules', () => {
      for (const [name, json] of allScenarios()) {
        const rules = new Set(entriesOf(json, 'aws_cloudwatch_event_rule').map(([key]) => key));
        const permissions = resourcesOf(json, 'aws_lambda_permission');
        // Rules that invoke a function need a permission; the gates' rules send to their SQS buffer instead.
        const invoking = resourcesOf(json, 'aws_cloudwatch_event_target').filter((t) =>
          String(t.arn).startsWith('${aws_lambda_function.'),
        );
        expect([name, permissions.length]).toEqual([name, invoking.length]);
        for (const permission of permissions) {
          expect([name, permission.principal, permission.action]).toEqual([
            name,
            'events.amazonaws.com',
            'lambda:InvokeFunction',
          ]);
          expect([
            name,
            rules.has(referencedKey(permission.source_arn, 'aws_cloudwatch_event_rule', 'arn') ?? ''),
          ]).toEqual([name, true]);
        }
      }
    });

    test('CKV_AWS_66 / _338 / _158: own log group per function with retention; retention, KMS configurable', () => {
      for (const [name, json] of allScenarios()) {
        const groups = Object.fromEntries(entriesOf(json, 'aws_cloudwatch_log_group'));
        for (const fn of resourcesOf(json, 'aws_lambda_function')) {
          const group = groups[referencedKey(fn.logging_config?.log_group, 'aws_cloudwatch_log_group', 'name') ?? ''];
          // Default 30 days (exception "log-retention-30-days" for CKV_AWS_338), never infinite
          expect([name, group?.retention_in_days]).toEqual([name, 30]);
          expect([name, group?.kms_key_id]).toEqual([name, undefined]);
        }
      }
      // AND the rollout passes a longer retention to every function's group
      const { json: all } = synthRollout({
        gates: { logRetentionDays: 365 },
        agentMonitor: { logRetentionDays: 365 },
        amiWatcher: { logRetentionDays: 365 },
      });
      expect(resourcesOf(all, 'aws_cloudwatch_log_group').map((g) => g.retention_in_days)).toEqual([
        365, 365, 365, 365,
      ]);
      // AND a bare function takes a log group CMK
      expect(resourcesOf(hardenedFunction(), 'aws_cloudwatch_log_group')).toEqual([
        expect.objectContaining({ retention_in_days: 365, kms_key_id: KMS_KEY_ARN }),
      ]);
    });
  });

  describe('policy suite: messaging', () => {
    test('CKV_AWS_26: the notification topic is encrypted (alias/aws/sns by default, a CMK when given)', () => {
      for (const [name, json] of allScenarios()) {
        expect([name, resourcesOf(json, 'aws_sns_topic').map((t) => t.kms_master_key_id)]).toEqual([
          name,
          ['alias/aws/sns'],
        ]);
      }
      const { json } = synthRollout({ notifications: { topicKmsKeyId: KMS_KEY_ARN } });
      expect(resourcesOf(json, 'aws_sns_topic')[0].kms_master_key_id).toBe(KMS_KEY_ARN);
    });

    test('CKV_AWS_27: every SQS queue (the DLQs) is encrypted at rest', () => {
      for (const [name, json] of allScenarios()) {
        for (const queue of resourcesOf(json, 'aws_sqs_queue')) {
          expect([
            name,
            queue.name,
            queue.sqs_managed_sse_enabled === true || typeof queue.kms_master_key_id === 'string',
          ]).toEqual([name, queue.name, true]);
        }
      }
    });

    test('CKV_AWS_168 / CKV_AWS_72: no queue policy is public: only EventBridge from our rules (aws:SourceArn)', () => {
      for (const [name, json] of allScenarios()) {
        const documents = (json.data?.aws_iam_policy_document ?? {}) as Record<string, Json>;
        for (const policy of resourcesOf(json, 'aws_sqs_queue_policy')) {
          const key = /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(policy.policy)?.[1] ?? '';
          for (const statement of documents[key]?.statement ?? []) {
            expect([name, statement.principals]).toEqual([
              name,
              [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
            ]);
            expect([name, statement.actions]).toEqual([name, ['sqs:SendMessage']]);
            expect([name, statement.condition]).toEqual([
              name,
              [
                {
                  test: 'ArnEquals',
                  variable: 'aws:SourceArn',
                  values: expect.arrayContaining([expect.stringMatching(/^\$\{aws_cloudwatch_event_rule\./)]),
                },
              ],
            ]);
          }
        }
      }
    });
  });
}
