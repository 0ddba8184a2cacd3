/** Shared notifier: SNS publishing, message rendering, de-duplication and the never-throw contract. */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import {
  createNotifier,
  createNotifierFromEnv,
  InMemoryDedupeStore,
  slackBody,
  snsSubject,
  SNS_SUBJECT_MAX_CHARS,
  type DedupeStore,
  type Notification,
  type NotifierLogger,
} from '../../lambdas/shared/notifier';

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:ecs-ami-rollout';
const sns = mockClient(SNSClient);
const ssm = mockClient(SSMClient);

function recordingLogger(): NotifierLogger & { lines: string[] } {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) =>
      lines.push(JSON.stringify({ level, message, extra }));
  return { lines, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    kind: 'ami.promoted',
    severity: 'info',
    cluster: 'prod',
    nodeGroup: 'web',
    title: 'AMI promoted',
    details: { amiId: 'ami-0abc', amiName: 'al2023-ami-ecs-hvm-2023.0.20250101-kernel-6.1-x86_64', instances: 12 },
    dedupeKey: 'prod:web:ami.promoted:ami-0abc',
    ...overrides,
  };
}

beforeEach(() => {
  sns.reset();
  ssm.reset();
});

describe('SNS channel', () => {
  it('publishes subject, text and kind/severity attributes', async () => {
    // GIVEN a topic
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const notifier = createNotifier({ logger: recordingLogger(), sns: sns as unknown as SNSClient, topicArn: TOPIC });
    // WHEN notifying
    const result = await notifier.notify(notification());
    // THEN one Publish with the rendered message
    expect(result).toEqual({ deduped: false, sns: 'sent', webhook: 'skipped', delivered: true });
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0].args[0].input;
    expect(input.TopicArn).toBe(TOPIC);
    expect(input.Subject).toBe('[INFO] prod/web: AMI promoted');
    expect(input.Message).toContain('Cluster: prod');
    expect(input.Message).toContain('amiName: al2023-ami-ecs-hvm-2023.0.20250101-kernel-6.1-x86_64');
    expect(input.Message).toContain('instances: 12');
    expect(input.MessageAttributes).toEqual({
      kind: { DataType: 'String', StringValue: 'ami.promoted' },
      severity: { DataType: 'String', StringValue: 'info' },
      cluster: { DataType: 'String', StringValue: 'prod' },
    });
  });

  it('logs a publish failure and resolves (never throws)', async () => {
    // GIVEN SNS throttling
    sns.on(PublishCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' }));
    const logger = recordingLogger();
    const notifier = createNotifier({ logger, sns: sns as unknown as SNSClient, topicArn: TOPIC });
    // WHEN notifying
    const result = await notifier.notify(notification());
    // THEN the failure is reported and logged
    expect(result).toMatchObject({ sns: 'failed', delivered: false });
    expect(logger.lines.join('\n')).toContain('ThrottledException');
  });
});

describe('rendering', () => {
  it('keeps the SNS subject under 100 characters and free of line breaks', () => {
    // GIVEN a very long, multi-line title
    const subject = snsSubject(notification({ title: `line one\nline two ${'x'.repeat(300)}` }));
    // THEN it is truncated and single-line
    expect(subject.length).toBeLessThanOrEqual(SNS_SUBJECT_MAX_CHARS);
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it('renders at most 10 Slack fields and escapes mrkdwn', () => {
    // GIVEN 12 details, one with markup characters
    const details: Record<string, string> = { note: '<b> & co' };
    for (let i = 0; i < 11; i += 1) details[`k${i}`] = `v${i}`;
    // WHEN rendering
    const body = slackBody(notification({ details }));
    // THEN the first section has 10 fields, overflow goes to a text section, markup is escaped
    const sections = body.blocks.filter((b) => b.type === 'section') as Array<{
      fields?: unknown[];
      text?: { text: string };
    }>;
    expect(sections[0].fields).toHaveLength(10);
    expect(sections[1].text?.text).toContain('k10');
    expect(JSON.stringify(body)).toContain('&lt;b&gt; &amp; co');
  });
});

describe('dedupe', () => {
  it('does not deliver the same key twice inside the TTL, but does after it', async () => {
    // GIVEN a notifier with a 1 h TTL and a movable clock
    sns.on(PublishCommand).resolves({});
    let now = new Date('2025-01-01T00:00:00Z');
    const notifier = createNotifier({
      logger: recordingLogger(),
      sns: sns as unknown as SNSClient,
      topicArn: TOPIC,
      dedupeTtlMs: 3_600_000,
      now: () => now,
    });
    // WHEN the same event is notified three times, the third after the TTL
    const first = await notifier.notify(notification());
    const second = await notifier.notify(notification());
    now = new Date('2025-01-01T01:00:01Z');
    const third = await notifier.notify(notification());
    // THEN only the first and third were published
    expect([first.deduped, second.deduped, third.deduped]).toEqual([false, true, false]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
  });

  it('consults the persistent store so a second container does not page again', async () => {
    // GIVEN two notifiers (two containers) sharing one persistent store
    sns.on(PublishCommand).resolves({});
    const shared = new InMemoryDedupeStore();
    const make = () =>
      createNotifier({
        logger: recordingLogger(),
        sns: sns as unknown as SNSClient,
        topicArn: TOPIC,
        persistentStore: shared,
      });
    // WHEN both see the same event
    await make().notify(notification());
    const fromSecond = await make().notify(notification());
    // THEN it was published once
    expect(fromSecond.deduped).toBe(true);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('releases the claim when every channel failed, so a retry can deliver', async () => {
    // GIVEN SNS failing once, then recovering
    sns.on(PublishCommand).rejectsOnce(new Error('boom')).resolves({});
    const store = new InMemoryDedupeStore();
    const notifier = createNotifier({
      logger: recordingLogger(),
      sns: sns as unknown as SNSClient,
      topicArn: TOPIC,
      persistentStore: store,
    });
    // WHEN notifying twice
    const first = await notifier.notify(notification());
    const second = await notifier.notify(notification());
    // THEN the retry was delivered
    expect(first.delivered).toBe(false);
    expect(second).toMatchObject({ deduped: false, delivered: true });
    expect(store.size).toBe(1);
  });

  it('fails open when the persistent store is unavailable', async () => {
    // GIVEN a store that throws
    sns.on(PublishCommand).resolves({});
    const broken: DedupeStore = {
      claim: async () => {
        throw new Error('store down');
      },
      release: async () => undefined,
    };
    const logger = recordingLogger();
    const notifier = createNotifier({
      logger,
      sns: sns as unknown as SNSClient,
      topicArn: TOPIC,
      persistentStore: broken,
    });
    // WHEN notifying
    const result = await notifier.notify(notification());
    // THEN it is delivered and the store failure logged
    expect(result.delivered).toBe(true);
    expect(logger.lines.join('\n')).toContain('fail open');
  });

  it('bounds the in-memory store', async () => {
    // GIVEN a store limited to 2 keys
    const store = new InMemoryDedupeStore(2);
    const now = new Date();
    const later = new Date(now.getTime() + 60_000);
    // WHEN claiming 3 keys
    for (const key of ['a', 'b', 'c']) await store.claim(key, later, now);
    // THEN the oldest was evicted and can be claimed again
    expect(store.size).toBe(2);
    expect(await store.claim('a', later, now)).toBe(true);
    expect(await store.claim('c', later, now)).toBe(false);
  });
});

describe('createNotifierFromEnv', () => {
  it('reads the webhook URL from the SSM parameter and publishes to the topic', async () => {
    // GIVEN both env vars and a webhook parameter
    sns.on(PublishCommand).resolves({});
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'https://hooks.example.com/T/B/SECRET' } });
    const posted: string[] = [];
    const logger = recordingLogger();
    const notifier = createNotifierFromEnv(
      { NOTIFY_TOPIC_ARN: TOPIC, NOTIFY_WEBHOOK_PARAMETER: '/ecs-ami-rollout/webhook' },
      {
        logger,
        sns: sns as unknown as SNSClient,
        ssm: ssm as unknown as SSMClient,
        httpSender: async ({ url }) => {
          posted.push(url.href);
          return { status: 200 };
        },
      },
    );
    // WHEN notifying
    const result = await notifier.notify(notification());
    // THEN both channels delivered, the URL came from SSM and never reached the logs
    expect(result).toEqual({ deduped: false, sns: 'sent', webhook: 'sent', delivered: true });
    expect(posted).toEqual(['https://hooks.example.com/T/B/SECRET']);
    expect(ssm.commandCalls(GetParameterCommand)[0].args[0].input).toMatchObject({ WithDecryption: true });
    expect(logger.lines.join('\n')).not.toContain('SECRET');
  });

  it('warns once when no channel is configured', async () => {
    // GIVEN no env vars
    const logger = recordingLogger();
    const notifier = createNotifierFromEnv(
      {},
      { logger, sns: sns as unknown as SNSClient, ssm: ssm as unknown as SSMClient },
    );
    // WHEN notifying twice (different keys)
    await notifier.notify(notification({ dedupeKey: 'a' }));
    await notifier.notify(notification({ dedupeKey: 'b' }));
    // THEN nothing was sent and one warning was logged
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(logger.lines.filter((line) => line.includes('no notification channel configured'))).toHaveLength(1);
  });
});
