/**
 * The documented-events harness: every sample of `__tests__/fixtures/aws-events/`, adapted to a deployed stack's own
 * identifiers (as the event would look in that account), replayed through every handler with the test kits' fakes;
 * and the EventBridge rules the constructs synthesized for that stack, with their patterns resolved.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDrainGateHandler, createLaunchGateHandler } from '../../../lambdas/gates/gate-handlers';
import { validateGateConfig } from '../../../lambdas/shared/config';
import { createAgentMonitorHandler } from '../../../lambdas/monitor/monitor-handler';
import { createAmiWatcherHandler } from '../../../lambdas/watcher/watcher-handler';
import { matchesEventPattern, type EventPattern } from '../../../sim/aws/event-pattern';
import { FakeWorld, fakeDeps as gateDeps } from '../../lambdas/gates/helpers/fake-aws';
import { monitorConfig } from '../../lambdas/monitor/fixtures';
import { WatcherWorld, fakeDeps as watcherDeps } from '../../lambdas/watcher/helpers/watcher-world';
import { APPROVED, T0, watcherConfig } from '../../lambdas/watcher/helpers/watcher-kit';
import { recordingLogger } from '../../support/recording-logger';
import type { SynthJson } from '../../support/synth';
import { resolveTokens, type AccountContext } from '../../support/terraform-expressions';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'aws-events');

/** The deployed stack the samples are adapted to (the watcher kit's configuration: cluster prod, ASG prod-general). */
export const ACCOUNT: AccountContext = { region: 'us-west-2', account: '123456789012' };
export const CLUSTER_ARN = `arn:aws:ecs:${ACCOUNT.region}:${ACCOUNT.account}:cluster/prod`;
export const ASG = 'prod-general';
export const LAUNCH_HOOK = 'ecs-ami-rollout-launch-gate';
export const TERMINATE_HOOK = 'ecs-ami-rollout-drain-gate';

/** Every documented sample (the Lambda console's SNS template is not an EventBridge event and is left out). */
export function documentedSamples(): { file: string; event: Json }[] {
  const files = [
    ...readdirSync(FIXTURES).filter((f) => f.endsWith('.json')),
    ...readdirSync(join(FIXTURES, 'watcher'))
      .filter((f) => f.endsWith('.json') && f !== 'sns-notification.json')
      .map((f) => `watcher/${f}`),
  ];
  return files.map((file) => ({ file, event: JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) }));
}

/** The sample as it would reach EventBridge in the deployed account: our ASG, hooks, cluster and parameters. */
export function adaptToStack(sample: Json): Json {
  const event = JSON.parse(JSON.stringify(sample));
  event.account = ACCOUNT.account;
  event.region = ACCOUNT.region;
  const d = event.detail ?? {};
  if (typeof d.AutoScalingGroupName === 'string') d.AutoScalingGroupName = ASG;
  if (typeof d.LifecycleHookName === 'string')
    d.LifecycleHookName =
      d.LifecycleTransition === 'autoscaling:EC2_INSTANCE_TERMINATING' ? TERMINATE_HOOK : LAUNCH_HOOK;
  if (typeof d.clusterArn === 'string') d.clusterArn = CLUSTER_ARN;
  if (typeof d.containerInstanceArn === 'string') {
    const id = d.containerInstanceArn.split('/').pop();
    d.containerInstanceArn = `arn:aws:ecs:${ACCOUNT.region}:${ACCOUNT.account}:container-instance/prod/${id}`;
  }
  if (event.source === 'aws.ssm' && typeof d.name === 'string') d.name = APPROVED;
  return event;
}

export type HandlerName = 'launch-gate' | 'drain-gate' | 'ami-watcher' | 'agent-monitor';
export const HANDLERS: readonly HandlerName[] = ['launch-gate', 'drain-gate', 'ami-watcher', 'agent-monitor'];

const gateConfig = () =>
  validateGateConfig({
    clusterName: 'prod',
    clusterArn: CLUSTER_ARN,
    nodeGroups: [
      {
        name: 'general',
        asgName: ASG,
        launchHookName: LAUNCH_HOOK,
        terminateHookName: TERMINATE_HOOK,
        launchHeartbeatSeconds: 900,
        terminateHeartbeatSeconds: 3600,
      },
    ],
  });

/**
 * Whether the handler acts on the event: it does unless it logs "event ignored" (every handler logs exactly that
 * line, and nothing else, for an event it does not handle — the fuzz suites check it). A failure after routing
 * (an incomplete fake) still means the handler acted.
 */
export async function acts(handler: HandlerName, event: Json): Promise<boolean> {
  const logger = recordingLogger();
  try {
    if (handler === 'launch-gate' || handler === 'drain-gate') {
      const kit = gateDeps(new FakeWorld(), gateConfig(), T0);
      const deps = { ...kit.deps, logger };
      await (handler === 'launch-gate' ? createLaunchGateHandler(deps) : createDrainGateHandler(deps))(event);
    } else if (handler === 'ami-watcher') {
      const kit = watcherDeps(new WatcherWorld(), watcherConfig(), T0);
      await createAmiWatcherHandler({ ...kit.deps, logger })(event);
    } else {
      const silent = { send: async () => ({}) } as never;
      await createAgentMonitorHandler({
        ecs: silent,
        autoScaling: silent,
        ec2: silent,
        ssm: silent,
        sns: silent,
        now: () => T0,
        config: monitorConfig(),
        logger,
        metrics: { publish: () => undefined },
        notifier: { notify: async () => ({ delivered: true, deduped: false }) } as never,
      })(event);
    }
  } catch {
    // Routed and then failed on the fakes: it acted.
  }
  return !logger.lines.some((line) => line.message === 'event ignored');
}

export interface SynthesizedRule {
  readonly name: string;
  readonly handler: HandlerName;
  readonly pattern?: EventPattern;
  readonly schedule?: string;
}

const HANDLER_OF_FUNCTION: readonly [RegExp, HandlerName][] = [
  [/_launch-gate_Function_/, 'launch-gate'],
  [/_drain-gate_Function_/, 'drain-gate'],
  // The gates' rules feed each gate's SQS buffer, which the gate function reads (event source mapping).
  [/_launch-gate_EventsBuffer_Queue_/, 'launch-gate'],
  [/_drain-gate_EventsBuffer_Queue_/, 'drain-gate'],
  [/_ami-watcher_Function_/, 'ami-watcher'],
  [/_agent-monitor_Function_/, 'agent-monitor'],
];

/** The stack's EventBridge rules with their target handler, patterns resolved for the account. */
export function synthesizedRules(json: SynthJson): SynthesizedRule[] {
  const rules = (json.resource?.aws_cloudwatch_event_rule ?? {}) as Record<string, Json>;
  const targets = Object.values(json.resource?.aws_cloudwatch_event_target ?? {}) as Json[];
  return targets.map((target) => {
    const ruleKey = /aws_cloudwatch_event_rule\.([^.]+)\.name/.exec(String(target.rule))?.[1] ?? '';
    const rule = rules[ruleKey];
    if (!rule) throw new Error(`target of an unknown rule: ${String(target.rule)}`);
    const handler = HANDLER_OF_FUNCTION.find(([pattern]) => pattern.test(String(target.arn)))?.[1];
    if (!handler) throw new Error(`rule ${ruleKey} targets no known function: ${String(target.arn)}`);
    const name = resolveTokens(String(rule.name), json, ACCOUNT);
    if (rule.schedule_expression) return { name, handler, schedule: String(rule.schedule_expression) };
    return { name, handler, pattern: JSON.parse(resolveTokens(String(rule.event_pattern), json, ACCOUNT)) };
  });
}

/** Whether the rule delivers the event: its pattern matches, or it is a schedule and the event a scheduled event. */
export function delivers(rule: SynthesizedRule, event: Json): boolean {
  if (rule.schedule) return event.source === 'aws.events' && event['detail-type'] === 'Scheduled Event';
  return matchesEventPattern(rule.pattern as EventPattern, event);
}
