/**
 * The configurations the policy suite scans, synthesized once per test file (lazily: a file synthesizes only the
 * scenarios it reads), and small readers over the synthesized Terraform JSON (functions, policy statements, user data).
 */
import { Testing } from 'cdktf';
import { AmiSource } from '../../../lib/ami/ami-source';
import { EcsAmiRolloutProps } from '../../../lib/ecs-ami-rollout';
import { NodejsFunction } from '../../../lib/function';
import { lambdaEntry } from '../../../lib/lambda-entry';
import { newStack, resourcesOf, synthRollout, SynthJson } from '../../support/synth';
import type { JsonObject } from '../../support/json';

export const KMS_KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

/** Representative configurations: every switch that adds, removes or changes a resource or a permission. */
export const SCENARIOS: Readonly<Record<string, Partial<EcsAmiRolloutProps>>> = {
  default: {},
  'multi node group + spot': {
    nodeGroups: [
      { name: 'x86', capacityProvider: { base: 1 } },
      {
        name: 'arm64-spot',
        architecture: 'arm64',
        instanceTypes: ['m7g.large', 'c7g.large'],
        mixedInstances: { onDemandPercentageAboveBaseCapacity: 0 },
      },
    ],
  },
  'drainOwner ecs': { drainOwner: 'ecs' },
  'gitops AMI mode (+ pinned AMI, user data, root volume CMK)': {
    amiMode: 'gitops',
    amiWatcher: {
      pipelineWebhookParameterName: '/ops/pipeline-webhook',
      maintenanceWindows: [{ days: ['Tue', 'Wed'], startHour: 9, endHour: 16 }],
    },
    nodeGroups: [
      { name: 'x86' },
      {
        name: 'pinned',
        amiSource: AmiSource.pinned('ami-0123456789abcdef0'),
        userData: '#!/bin/bash\necho "joined ${HOSTNAME}" >> /var/log/hello.log\n',
        rootVolumeKmsKeyId: KMS_KEY_ARN,
      },
    ],
  },
  'agent updates on (+ verifyAmi)': { agentMonitor: { updateAgents: true }, gates: { verifyAmi: true } },
  'webhook configured': {
    notifications: { webhookParameterName: '/ops/slack-webhook', webhookParameterKmsKeyArn: KMS_KEY_ARN },
  },
  'adopted cluster': { adoptExistingCluster: true },
};

export type ScenarioName = keyof typeof SCENARIOS;
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

const cache = new Map<string, SynthJson>();

/** The synthesized JSON of one scenario (synthesized on first use). */
export function scenario(name: ScenarioName): SynthJson {
  let json = cache.get(name);
  if (!json) {
    json = synthRollout(SCENARIOS[name]).json;
    cache.set(name, json);
  }
  return json;
}

/** Every scenario as [name, json] pairs, for `test.each`-style loops inside one named rule test. */
export function allScenarios(): [ScenarioName, SynthJson][] {
  return SCENARIO_NAMES.map((name) => [name, scenario(name)]);
}

/** A bare NodejsFunction with every opt-in hardening switch on (tracing Active, env CMK, log group CMK). */
export function hardenedFunction(): SynthJson {
  const key = 'hardened function';
  let json = cache.get(key);
  if (!json) {
    const stack = newStack();
    new NodejsFunction(stack, 'hardened', {
      entry: lambdaEntry('gates/launch-gate'),
      tracingMode: 'Active',
      environmentKmsKeyArn: KMS_KEY_ARN,
      logGroupKmsKeyArn: KMS_KEY_ARN,
      logRetentionDays: 365,
    });
    json = JSON.parse(Testing.synth(stack)) as SynthJson;
    cache.set(key, json);
  }
  return json;
}

/** Resources of a type as [terraform key, config] pairs. */
export function entriesOf(json: SynthJson, type: string): [string, JsonObject][] {
  return Object.entries(json.resource?.[type] ?? {});
}

export interface PolicyStatement {
  /** Terraform key of the `aws_iam_policy_document` data source. */
  readonly document: string;
  readonly sid?: string;
  readonly effect?: string;
  readonly actions: string[];
  readonly resources: string[];
  readonly notActions?: string[];
  readonly notResources?: string[];
  readonly principals?: { type: string; identifiers: string[] }[];
  readonly condition?: { test: string; variable: string; values: string[] }[];
}

function statementsOf(json: SynthJson, keep: (documentKey: string) => boolean): PolicyStatement[] {
  const documents = Object.entries((json.data?.aws_iam_policy_document ?? {}) as Record<string, JsonObject>);
  return documents
    .filter(([key]) => keep(key))
    .flatMap(([key, doc]) =>
      ((doc.statement ?? []) as JsonObject[]).map((s) => ({
        document: key,
        sid: s.sid,
        effect: s.effect,
        actions: s.actions ?? [],
        resources: s.resources ?? [],
        notActions: s.not_actions,
        notResources: s.not_resources,
        principals: s.principals,
        condition: s.condition,
      })),
    );
}

/** Terraform keys of the policy documents used as identity policies (`aws_iam_role_policy.policy`). */
export function identityDocumentKeys(json: SynthJson): Set<string> {
  return new Set(
    resourcesOf(json, 'aws_iam_role_policy').map(
      (p) => /data\.aws_iam_policy_document\.([^.]+)\.json/.exec(String(p.policy))?.[1] ?? '',
    ),
  );
}

/** Every statement of every `aws_iam_policy_document` (identity, trust and resource policies). */
export function allStatements(json: SynthJson): PolicyStatement[] {
  return statementsOf(json, () => true);
}

/** Statements of the identity policies (the functions' inline policies). */
export function identityStatements(json: SynthJson): PolicyStatement[] {
  const keys = identityDocumentKeys(json);
  return statementsOf(json, (key) => keys.has(key));
}

/** An action is mutating unless its name starts with Describe, List or Get (the rule the brief and scanners use). */
export function isMutating(action: string): boolean {
  const name = action.split(':')[1] ?? action;
  return !/^(Describe|List|Get)/.test(name);
}

export function hasCondition(statement: PolicyStatement): boolean {
  return (statement.condition ?? []).length > 0;
}

/**
 * The plain text of a launch template's `user_data`: `${base64encode(join("", ["literal", reference, "literal"]))}`.
 * Literals are HCL strings (JSON escapes, `$${` for a literal `${`); references (the cluster name) become `<ref>`.
 */
export function decodeUserData(expression: string): string {
  const inner = /^\$\{base64encode\(join\("", \[(.*)\]\)\)\}$/s.exec(expression);
  if (!inner) throw new Error(`unexpected user_data expression: ${expression.slice(0, 80)}`);
  const parts: string[] = [];
  const literal = /"((?:[^"\\]|\\.)*)"|([^,\s][^,]*)/g;
  for (const match of inner[1].matchAll(literal)) {
    if (match[1] !== undefined)
      parts.push((JSON.parse(`"${match[1]}"`) as string).replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{'));
    else parts.push('<ref>');
  }
  return parts.join('');
}

/** Patterns of the secrets a scanner (CKV_AWS_46 / detect-secrets, trivy secret scan) reports in text. */
export const SECRET_PATTERNS: readonly (readonly [string, RegExp])[] = [
  ['AWS access key id', /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ['AWS secret access key', /aws.{0,20}?(secret|key).{0,20}?[=:'" ]\s*['"]?[0-9a-zA-Z/+]{40}(?![0-9a-zA-Z/+])/i],
  ['private key', /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ['credentials in a URL', /[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s/@]+@/i],
  ['password-like assignment', /(?<![a-z])(password|passwd|pwd|secret|token|api[_-]?key)(?![a-z])\s*[=:]\s*\S+/i],
  ['webhook URL', /hooks\.slack\.com\/|outlook\.office\.com\/webhook|\/webhookb2\//i],
  ['bearer token', /\bbearer\s+[A-Za-z0-9._~+/-]{20,}/i],
];

/** Names of the secret patterns that match `text`. */
export function secretFindings(text: string): string[] {
  return SECRET_PATTERNS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
}

/** Environment variable names that look like they hold a secret (unless they only reference one). */
export function isSecretLikeName(name: string): boolean {
  return (
    /PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|WEBHOOK_URL/i.test(name) &&
    !/_(ARN|NAME|ID|PARAMETER)$/i.test(name)
  );
}
