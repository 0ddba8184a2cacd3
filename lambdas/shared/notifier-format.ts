/**
 * The notification model shared by every Lambda of the product, and its two renderings: an SNS message (subject, text,
 * message attributes) and a Slack-compatible incoming-webhook body (`text` + `blocks`). Pure functions only.
 */

/** Every event kind the product reports. Add new kinds here (one list, so renderers and filters stay in sync). */
export const NOTIFICATION_KINDS = [
  'ami.detected',
  'ami.promoted',
  'ami.skipped',
  'ami.drift',
  'refresh.started',
  'refresh.checkpoint',
  'refresh.succeeded',
  'refresh.failed',
  'refresh.rolledBack',
  'launch.abandoned',
  'launch.warm-pool',
  'drain.forced',
  'drain.held',
  'drain.warm-pool',
  'agent.disconnected',
  'agent.updateFailed',
  'instance.impaired',
] as const;

export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];
export type NotificationSeverity = 'info' | 'warning' | 'critical';

export interface Notification {
  readonly kind: NotificationKind;
  readonly severity: NotificationSeverity;
  readonly cluster: string;
  readonly nodeGroup?: string;
  /** One line, human readable ("2 container agents disconnected"). */
  readonly title: string;
  /** Concise facts: AMI ids and names, instance counts, instance ids (lists are truncated when rendered). */
  readonly details: Readonly<Record<string, string | number>>;
  /** Identifies "the same event": a repeat with the same key is not delivered twice (see notifier-dedupe.ts). */
  readonly dedupeKey: string;
}

/** SNS: "Subjects must be … less than 100 characters long" and contain no line breaks or control characters. */
export const SNS_SUBJECT_MAX_CHARS = 99;
/** Each rendered detail value is capped so one long instance list cannot drown the message. */
export const DETAIL_VALUE_MAX_CHARS = 300;
/** Slack: a section holds at most 10 fields; a header at most 150 characters. */
const SLACK_MAX_FIELDS = 10;
const SLACK_HEADER_MAX_CHARS = 150;

const SEVERITY_LABEL: Record<NotificationSeverity, string> = { info: 'INFO', warning: 'WARNING', critical: 'CRITICAL' };
const SEVERITY_EMOJI: Record<NotificationSeverity, string> = {
  info: ':information_source:',
  warning: ':warning:',
  critical: ':rotating_light:',
};

// eslint-disable-next-line no-control-regex -- stripping control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f]+/g;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

function scope(notification: Notification): string {
  return notification.nodeGroup ? `${notification.cluster}/${notification.nodeGroup}` : notification.cluster;
}

function detailEntries(notification: Notification): Array<[string, string]> {
  return Object.entries(notification.details).map(([key, value]) => [
    key,
    truncate(String(value).replace(CONTROL_CHARS, ' '), DETAIL_VALUE_MAX_CHARS),
  ]);
}

/** `[WARNING] prod/web: 2 container agents disconnected`, control characters removed, ≤ 99 chars. */
export function snsSubject(notification: Notification): string {
  const raw = `[${SEVERITY_LABEL[notification.severity]}] ${scope(notification)}: ${notification.title}`;
  return truncate(raw.replace(CONTROL_CHARS, ' ').trim(), SNS_SUBJECT_MAX_CHARS);
}

/** Plain-text body for e-mail/SMS subscribers. */
export function snsMessage(notification: Notification): string {
  const lines = [
    notification.title,
    '',
    `Cluster: ${notification.cluster}`,
    ...(notification.nodeGroup ? [`Node group: ${notification.nodeGroup}`] : []),
    `Severity: ${notification.severity}`,
    `Event: ${notification.kind}`,
    ...detailEntries(notification).map(([key, value]) => `${key}: ${value}`),
    '',
    `Dedupe key: ${notification.dedupeKey}`,
  ];
  return lines.join('\n');
}

/** Message attributes so subscriptions can filter (`kind`, `severity`, `cluster`). */
export function snsMessageAttributes(
  notification: Notification,
): Record<string, { DataType: 'String'; StringValue: string }> {
  return {
    kind: { DataType: 'String', StringValue: notification.kind },
    severity: { DataType: 'String', StringValue: notification.severity },
    cluster: { DataType: 'String', StringValue: notification.cluster },
  };
}

/** Slack mrkdwn needs &, < and > escaped; everything else is literal. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

interface SlackText {
  type: 'mrkdwn' | 'plain_text';
  text: string;
}

export interface SlackBody {
  text: string;
  blocks: Array<
    | { type: 'header'; text: SlackText }
    | { type: 'section'; text?: SlackText; fields?: SlackText[] }
    | { type: 'context'; elements: SlackText[] }
  >;
}

/** Slack-compatible body: `text` is the notification fallback, `blocks` the rich rendering. */
export function slackBody(notification: Notification): SlackBody {
  const field = (label: string, value: string): SlackText => ({
    type: 'mrkdwn',
    text: `*${escapeSlack(label)}*\n${escapeSlack(value)}`,
  });
  const fields: SlackText[] = [
    field('Cluster', notification.cluster),
    ...(notification.nodeGroup ? [field('Node group', notification.nodeGroup)] : []),
    ...detailEntries(notification).map(([key, value]) => field(key, value)),
  ];
  const blocks: SlackBody['blocks'] = [
    {
      type: 'header',
      text: {
        type: 'plain_text',
        text: truncate(notification.title.replace(CONTROL_CHARS, ' '), SLACK_HEADER_MAX_CHARS),
      },
    },
    { type: 'section', fields: fields.slice(0, SLACK_MAX_FIELDS) },
  ];
  const overflow = fields.slice(SLACK_MAX_FIELDS);
  if (overflow.length > 0) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: overflow.map((f) => f.text.replace('\n', ': ')).join('\n') },
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `${SEVERITY_LABEL[notification.severity]} · \`${notification.kind}\` · ecs-ami-rollout`,
      },
    ],
  });
  return {
    text: `${SEVERITY_EMOJI[notification.severity]} ${escapeSlack(scope(notification))}: ${escapeSlack(
      notification.title,
    )}`,
    blocks,
  };
}
