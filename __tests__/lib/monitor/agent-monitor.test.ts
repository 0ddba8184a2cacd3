import { EcsAmiRolloutProps } from '../../../lib/ecs-ami-rollout';
import { onlyResource, resourcesOf, synthRollout } from '../../support/synth';
import { parseJsonencode } from '../../support/synth-rules';
import type { JsonObject as Json } from '../../support/json';

function monitorStatements(json: Json): Json[] {
  return Object.entries(json.data.aws_iam_policy_document as Record<string, Json>)
    .filter(([key]) => key.includes('agent-monitor') && !key.includes('trust') && !key.includes('assume'))
    .flatMap(([, doc]) => doc.statement ?? []);
}

function monitorFunction(json: Json): Json {
  return resourcesOf(json, 'aws_lambda_function').find((f) => f.environment.variables.MONITOR_CONFIG)!;
}

describe('AgentMonitor', () => {
  test('default stack: scheduled every 15 minutes, agent updates off, state parameter, log retention', () => {
    // GIVEN the default rollout WHEN synthesized
    const { json } = synthRollout();
    const fn = monitorFunction(json);
    // THEN the monitor runs on its schedule with its config, and notifies through the topic
    expect(fn).toMatchObject({ runtime: 'nodejs22.x', reserved_concurrent_executions: -1 });
    expect(parseJsonencode(fn.environment.variables.MONITOR_CONFIG)).toMatchObject({ updateAgents: false });
    expect(fn.environment.variables.NOTIFY_TOPIC_ARN).toMatch(/aws_sns_topic\./);
    expect(resourcesOf(json, 'aws_cloudwatch_event_rule').map((r) => r.schedule_expression)).toContain(
      'rate(15 minutes)',
    );
    const state = resourcesOf(json, 'aws_ssm_parameter').find((p) => p.name.endsWith('/agent-monitor-state'));
    expect(state).toMatchObject({ type: 'String', lifecycle: { ignore_changes: ['value', 'insecure_value'] } });
    expect(resourcesOf(json, 'aws_cloudwatch_log_group').every((g) => g.retention_in_days === 30)).toBe(true);
    expect(onlyResource(json, 'aws_sns_topic').kms_master_key_id).toBe('alias/aws/sns');
  });

  test('IAM: ECS scoped to the cluster, UpdateContainerAgent only when updates are on, state parameter only', () => {
    const off = monitorStatements(synthRollout().json);
    expect(off.flatMap((s) => s.actions)).not.toContain('ecs:UpdateContainerAgent');
    const on = monitorStatements(synthRollout({ agentMonitor: { updateAgents: true } }).json);
    const update = on.find((s) => s.actions.includes('ecs:UpdateContainerAgent'))!;
    expect(update.condition).toEqual([
      { test: 'ArnEquals', variable: 'ecs:cluster', values: [expect.stringMatching(/aws_ecs_cluster\..+\.arn/)] },
    ]);
    expect(update.resources).toEqual([
      expect.stringMatching(/:container-instance\/\$\{aws_ecs_cluster\..+\.name\}\/\*$/),
    ]);
    const state = on.find((s) => s.sid === 'MonitorState')!;
    expect(state.resources).toEqual([expect.stringMatching(/^\$\{aws_ssm_parameter\..+\.arn\}$/)]);
    for (const s of on.filter((st) => (st.resources ?? []).includes('*'))) {
      for (const action of s.actions) expect(action).toMatch(/:(Describe|List|Get)/);
    }
  });

  test('can be turned off', () => {
    const { json } = synthRollout({ enableAgentMonitor: false });
    expect(resourcesOf(json, 'aws_lambda_function').some((f) => f.environment.variables.MONITOR_CONFIG)).toBe(false);
  });

  test('a webhook parameter is passed by name and readable, never its value', () => {
    const { json } = synthRollout({ notifications: { webhookParameterName: '/ops/slack-webhook' } });
    const fn = monitorFunction(json);
    expect(fn.environment.variables.NOTIFY_WEBHOOK_PARAMETER).toBe('/ops/slack-webhook');
    const read = monitorStatements(json).find((s) => s.sid === 'ReadWebhookUrl')!;
    expect(read.resources).toEqual([expect.stringMatching(/:parameter\/ops\/slack-webhook$/)]);
  });

  test.each<[string, Partial<EcsAmiRolloutProps>, RegExp]>([
    [
      'too many updates per run',
      { agentMonitor: { maxAgentUpdatesPerRun: 11 } },
      /AgentMonitor\.maxAgentUpdatesPerRun: 11 is invalid — must be an integer between 1 and 10/,
    ],
    ['malformed schedule', { agentMonitor: { schedule: 'hourly' } }, /AgentMonitor\.schedule: "hourly" is invalid/],
    [
      'malformed webhook parameter',
      { notifications: { webhookParameterName: 'https://hooks.slack.com/x' } },
      /Notifications\.webhookParameterName: "https:\/\/hooks\.slack\.com\/x" is invalid/,
    ],
  ])('rejects %s', (_name, props, message) => {
    expect(() => synthRollout(props)).toThrow(message);
  });
});
