/**
 * Shared notifier: SNS topic and/or Slack-style webhook, with de-duplication.
 *
 * Contract for every caller (gates, rollout, monitor): `notify()` never throws and never takes longer than the webhook
 * deadline (≤ 3 s) plus one SNS call. A notification failure is logged and reported in the result; it must never change
 * a gate or rollout decision.
 *
 * Configuration (both optional, read by `createNotifierFromEnv`):
 * - `NOTIFY_TOPIC_ARN`          SNS topic to publish to.
 * - `NOTIFY_WEBHOOK_PARAMETER`  name of an SSM SecureString parameter holding the webhook URL (never the URL itself
 *                               in an env var: env vars are visible to anyone with lambda:GetFunctionConfiguration).
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { errorMessage, errorName } from './aws-errors';
import { DEFAULT_DEDUPE_TTL_MS, InMemoryDedupeStore, type DedupeStore } from './notifier-dedupe';
import { slackBody, snsMessage, snsMessageAttributes, snsSubject, type Notification } from './notifier-format';
import {
  createSsmWebhookUrlSource,
  postWebhook,
  type HttpSender,
  type NotifierLogger,
  type SdkSender,
  type WebhookOutcome,
  type WebhookUrlSource,
} from './webhook';

export * from './notifier-format';
export { InMemoryDedupeStore, DEFAULT_DEDUPE_TTL_MS, type DedupeStore } from './notifier-dedupe';
export type { HttpSender, NotifierLogger, SdkSender, WebhookUrlSource } from './webhook';

export type SnsOutcome = 'sent' | 'skipped' | 'failed';

export interface NotifyResult {
  /** True when the key was already delivered inside the TTL window: nothing was sent. */
  readonly deduped: boolean;
  readonly sns: SnsOutcome;
  readonly webhook: WebhookOutcome;
  /** True when at least one channel accepted the message. */
  readonly delivered: boolean;
}

export interface Notifier {
  notify(notification: Notification): Promise<NotifyResult>;
}

export interface NotifierDeps {
  readonly logger: NotifierLogger;
  /** SNS client (anything with `send`). Required when `topicArn` is set. */
  readonly sns?: SdkSender;
  readonly topicArn?: string;
  /** Source of the webhook URL (normally `createSsmWebhookUrlSource`). */
  readonly webhookUrl?: WebhookUrlSource;
  /** @default nodeHttpSender (node:https) */
  readonly httpSender?: HttpSender;
  /** Webhook deadline, clamped to 3000 ms. @default 3000 */
  readonly webhookTimeoutMs?: number;
  /** Test-only: accept http:// webhook URLs on loopback hosts. @default false */
  readonly allowInsecureLoopbackForTests?: boolean;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** How long a delivered key suppresses repeats. @default 6 hours */
  readonly dedupeTtlMs?: number;
  /** Per-container memory of delivered keys. @default a new InMemoryDedupeStore (one per notifier = per container) */
  readonly memory?: InMemoryDedupeStore;
  /** Optional persistent store, consulted after the in-memory check (see notifier-dedupe.ts for guarantees). */
  readonly persistentStore?: DedupeStore;
}

/** Never throws: dedupe store failures fail open, channel failures are logged. */
export function createNotifier(deps: NotifierDeps): Notifier {
  const now = deps.now ?? (() => new Date());
  const ttlMs = deps.dedupeTtlMs ?? DEFAULT_DEDUPE_TTL_MS;
  const memory = deps.memory ?? new InMemoryDedupeStore();
  let warnedNoChannel = false;

  async function claim(key: string): Promise<{ claimed: boolean; persistentClaimed: boolean }> {
    const at = now();
    const expiresAt = new Date(at.getTime() + ttlMs);
    if (!(await memory.claim(key, expiresAt, at))) return { claimed: false, persistentClaimed: false };
    if (!deps.persistentStore) return { claimed: true, persistentClaimed: false };
    try {
      const claimed = await deps.persistentStore.claim(key, expiresAt, at);
      return { claimed, persistentClaimed: claimed };
    } catch (error) {
      deps.logger.warn('dedupe store unavailable; delivering anyway (fail open)', {
        dedupeKey: key,
        errorName: errorName(error),
        errorMessage: errorMessage(error),
      });
      return { claimed: true, persistentClaimed: false };
    }
  }

  async function release(key: string, persistentClaimed: boolean): Promise<void> {
    await memory.release(key);
    if (!persistentClaimed || !deps.persistentStore) return;
    try {
      await deps.persistentStore.release(key);
    } catch (error) {
      deps.logger.warn('dedupe store release failed', { dedupeKey: key, errorName: errorName(error) });
    }
  }

  async function publishSns(notification: Notification): Promise<SnsOutcome> {
    if (!deps.topicArn || !deps.sns) return 'skipped';
    try {
      await deps.sns.send(
        new PublishCommand({
          TopicArn: deps.topicArn,
          Subject: snsSubject(notification),
          Message: snsMessage(notification),
          MessageAttributes: snsMessageAttributes(notification),
        }),
      );
      return 'sent';
    } catch (error) {
      deps.logger.warn('SNS publish failed', {
        kind: notification.kind,
        dedupeKey: notification.dedupeKey,
        errorName: errorName(error),
        errorMessage: errorMessage(error),
      });
      return 'failed';
    }
  }

  async function sendWebhook(notification: Notification): Promise<WebhookOutcome> {
    if (!deps.webhookUrl) return 'skipped';
    const rawUrl = await deps.webhookUrl.get();
    if (!rawUrl) return 'skipped';
    return postWebhook({
      rawUrl,
      payload: slackBody(notification),
      logger: deps.logger,
      sender: deps.httpSender,
      timeoutMs: deps.webhookTimeoutMs,
      allowInsecureLoopbackForTests: deps.allowInsecureLoopbackForTests,
      logContext: { kind: notification.kind, dedupeKey: notification.dedupeKey },
    });
  }

  return {
    async notify(notification) {
      try {
        const { claimed, persistentClaimed } = await claim(notification.dedupeKey);
        if (!claimed) {
          deps.logger.info('notification suppressed (duplicate)', {
            kind: notification.kind,
            dedupeKey: notification.dedupeKey,
          });
          return { deduped: true, sns: 'skipped', webhook: 'skipped', delivered: false };
        }
        const [sns, webhook] = await Promise.all([publishSns(notification), sendWebhook(notification)]);
        const delivered = sns === 'sent' || webhook === 'sent';
        const attempted = sns !== 'skipped' || webhook !== 'skipped';
        if (!attempted && !warnedNoChannel) {
          warnedNoChannel = true;
          deps.logger.warn('no notification channel configured (NOTIFY_TOPIC_ARN / NOTIFY_WEBHOOK_PARAMETER)');
        }
        // Let a later attempt deliver what no channel accepted this time.
        if (attempted && !delivered) await release(notification.dedupeKey, persistentClaimed);
        deps.logger.info('notification', {
          kind: notification.kind,
          severity: notification.severity,
          cluster: notification.cluster,
          nodeGroup: notification.nodeGroup,
          dedupeKey: notification.dedupeKey,
          sns,
          webhook,
          delivered,
        });
        return { deduped: false, sns, webhook, delivered };
      } catch (error) {
        // Defensive: nothing above should throw, but a notifier must never break its caller.
        deps.logger.error('notifier failed unexpectedly', {
          kind: notification.kind,
          errorName: errorName(error),
          errorMessage: errorMessage(error),
        });
        return { deduped: false, sns: 'failed', webhook: 'failed', delivered: false };
      }
    },
  };
}

export interface NotifierEnvDeps {
  readonly logger: NotifierLogger;
  readonly sns: SdkSender;
  readonly ssm: SdkSender;
  readonly httpSender?: HttpSender;
  readonly persistentStore?: DedupeStore;
  readonly now?: () => Date;
}

/** Builds the notifier from `NOTIFY_TOPIC_ARN` and `NOTIFY_WEBHOOK_PARAMETER` (both optional). */
export function createNotifierFromEnv(env: NodeJS.ProcessEnv, deps: NotifierEnvDeps): Notifier {
  const topicArn = env.NOTIFY_TOPIC_ARN?.trim() || undefined;
  if (topicArn && !topicArn.startsWith('arn:')) {
    deps.logger.warn('NOTIFY_TOPIC_ARN is not an ARN; SNS notifications disabled', { topicArn });
  }
  const parameterName = env.NOTIFY_WEBHOOK_PARAMETER?.trim() || undefined;
  return createNotifier({
    logger: deps.logger,
    sns: deps.sns,
    topicArn: topicArn?.startsWith('arn:') ? topicArn : undefined,
    webhookUrl: parameterName
      ? createSsmWebhookUrlSource({ ssm: deps.ssm, parameterName, logger: deps.logger })
      : undefined,
    httpSender: deps.httpSender,
    persistentStore: deps.persistentStore,
    now: deps.now,
  });
}
