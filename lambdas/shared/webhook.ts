/**
 * Slack-style incoming-webhook delivery for the shared notifier.
 *
 * Security rules (why each exists):
 * - The webhook URL is a bearer secret (anyone holding it can post to the channel). It is read at run time from an SSM
 *   SecureString parameter, cached per container for a short TTL, and never logged: every log line and error message
 *   that could contain it goes through `redactSecret`.
 * - HTTPS only. Plain `http:` is refused with a clear log line; the single exception is loopback
 *   (127.0.0.1/::1/localhost) when the caller passes the explicit test-only `allowInsecureLoopbackForTests` option, so
 *   tests can use a real local server without TLS certificates.
 * - Short timeouts: one overall deadline (default and maximum 3 s) covers DNS, connect, TLS and the response, enforced
 *   with an AbortSignal plus the socket idle timeout. A hung endpoint can never stall a gate or a rollout decision.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { GetParameterCommand, type GetParameterCommandOutput } from '@aws-sdk/client-ssm';
import type { SendClient } from './aws-client';
import { errorMessage, errorName } from './aws-errors';
import type { GateLogger } from './observability';

/** Hard upper bound of the webhook deadline (connect + response). */
export const MAX_WEBHOOK_TIMEOUT_MS = 3000;
/** How long a webhook URL read from SSM is reused inside one warm container. */
export const DEFAULT_WEBHOOK_URL_TTL_MS = 5 * 60 * 1000;

/** Structured logger (the shared `GateLogger` shape; Powertools `Logger` satisfies it). */
export type NotifierLogger = GateLogger;

/** Anything with the SDK v3 `send(command)` shape: a real client, aws-sdk-client-mock, or a simulator fake. */
export type SdkSender = SendClient;

export interface HttpPostRequest {
  readonly url: URL;
  readonly body: string;
  readonly timeoutMs: number;
}

export interface HttpPostResponse {
  readonly status: number;
}

/** Injectable HTTP POST (tests may replace it; the default uses node:https / node:http). */
export type HttpSender = (request: HttpPostRequest) => Promise<HttpPostResponse>;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

export type UrlPolicyResult =
  { readonly ok: true; readonly url: URL } | { readonly ok: false; readonly reason: string };

/**
 * Decides whether a webhook URL may be used. The reason never contains the URL itself (only its scheme), so it is safe
 * to log.
 */
export function checkWebhookUrl(raw: string, allowInsecureLoopbackForTests = false): UrlPolicyResult {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'webhook URL is not a valid absolute URL' };
  }
  if (url.protocol === 'https:') return { ok: true, url };
  if (url.protocol === 'http:' && allowInsecureLoopbackForTests && LOOPBACK_HOSTS.has(url.hostname)) {
    return { ok: true, url };
  }
  return {
    ok: false,
    reason:
      `webhook URL refused: scheme "${url.protocol}" is not allowed, only https: is ` +
      `(plain http is accepted for loopback hosts only with the test-only option)`,
  };
}

/** Removes every occurrence of the secret URL (and its path/query, which carry the token) from a text. */
export function redactSecret(text: string, secretUrl: string | undefined): string {
  if (!secretUrl) return text;
  let out = text.split(secretUrl).join('[redacted-webhook-url]');
  try {
    const url = new URL(secretUrl);
    const secretParts = [url.pathname + url.search, url.pathname, url.search].filter((part) => part.length > 1);
    for (const part of secretParts) out = out.split(part).join('[redacted]');
  } catch {
    // Not parseable: the whole-string replacement above is all we can do.
  }
  return out;
}

/**
 * Default sender: one POST with a JSON body; resolves with the status code once the (discarded) body has been read;
 * rejects on network errors and when the deadline passes.
 */
export const nodeHttpSender: HttpSender = ({ url, body, timeoutMs }) =>
  new Promise<HttpPostResponse>((resolve, reject) => {
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        // Overall deadline (DNS + connect + TLS + response) ...
        signal: AbortSignal.timeout(timeoutMs),
        // ... and the socket idle timeout, in case the signal is not honoured by an agent.
        timeout: timeoutMs,
      },
      (response) => {
        let ended = false;
        response.resume(); // Only the status matters; drain so the socket is released.
        response.on('end', () => {
          ended = true;
          resolve({ status: response.statusCode ?? 0 });
        });
        response.on('error', reject);
        response.on('close', () => {
          if (!ended) reject(new Error(`response closed before it ended (status ${response.statusCode ?? 0})`));
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error(`webhook timed out after ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });

/** Where the webhook URL comes from (the SSM-backed source below, or a fake in tests). */
export interface WebhookUrlSource {
  /** The URL, or undefined when none is configured or it cannot be read right now. Never throws. */
  get(): Promise<string | undefined>;
}

export interface SsmWebhookUrlSourceOptions {
  readonly ssm: SdkSender;
  readonly parameterName: string;
  readonly logger: NotifierLogger;
  /** @default 300000 (5 minutes) */
  readonly ttlMs?: number;
  /** Epoch milliseconds; injectable for tests. @default Date.now */
  readonly nowMs?: () => number;
}

/**
 * Reads the webhook URL from an SSM SecureString (GetParameter WithDecryption) and caches it for `ttlMs`. When a
 * refresh fails, the last known value (if any) keeps being used, so a transient SSM error does not silence alerts.
 */
export function createSsmWebhookUrlSource(options: SsmWebhookUrlSourceOptions): WebhookUrlSource {
  const ttlMs = options.ttlMs ?? DEFAULT_WEBHOOK_URL_TTL_MS;
  const nowMs = options.nowMs ?? Date.now;
  let cached: { value: string; fetchedAtMs: number } | undefined;
  return {
    async get() {
      if (cached && nowMs() - cached.fetchedAtMs < ttlMs) return cached.value;
      try {
        const output: GetParameterCommandOutput = await options.ssm.send(
          new GetParameterCommand({ Name: options.parameterName, WithDecryption: true }),
        );
        const value = output.Parameter?.Value?.trim();
        if (!value) {
          options.logger.warn('webhook parameter is empty; webhook delivery skipped', {
            parameterName: options.parameterName,
          });
          return undefined;
        }
        cached = { value, fetchedAtMs: nowMs() };
        return value;
      } catch (error) {
        options.logger.warn('webhook parameter could not be read', {
          parameterName: options.parameterName,
          errorName: errorName(error),
          // The parameter *value* never appears in an SSM error; redact anyway in case a cached value is echoed.
          errorMessage: redactSecret(errorMessage(error), cached?.value),
          usingCachedValue: cached !== undefined,
        });
        return cached?.value;
      }
    },
  };
}

export type WebhookOutcome = 'sent' | 'skipped' | 'refused' | 'failed';

export interface PostWebhookOptions {
  readonly rawUrl: string;
  readonly payload: unknown;
  readonly logger: NotifierLogger;
  readonly sender?: HttpSender;
  /** Clamped to MAX_WEBHOOK_TIMEOUT_MS. @default 3000 */
  readonly timeoutMs?: number;
  /** Test-only: allow http:// to loopback hosts. @default false */
  readonly allowInsecureLoopbackForTests?: boolean;
  /** Fields that identify the notification in log lines (never the URL). */
  readonly logContext?: Record<string, unknown>;
}

/** Posts one JSON payload. Never throws: every failure becomes a log line and a 'failed'/'refused' outcome. */
export async function postWebhook(options: PostWebhookOptions): Promise<WebhookOutcome> {
  const policy = checkWebhookUrl(options.rawUrl, options.allowInsecureLoopbackForTests ?? false);
  if (!policy.ok) {
    options.logger.error(policy.reason, { ...options.logContext });
    return 'refused';
  }
  const timeoutMs = Math.min(Math.max(options.timeoutMs ?? MAX_WEBHOOK_TIMEOUT_MS, 1), MAX_WEBHOOK_TIMEOUT_MS);
  const startedAt = Date.now();
  try {
    const { status } = await (options.sender ?? nodeHttpSender)({
      url: policy.url,
      body: JSON.stringify(options.payload),
      timeoutMs,
    });
    if (status >= 200 && status < 300) return 'sent';
    options.logger.warn('webhook rejected the notification', {
      ...options.logContext,
      statusCode: status,
      elapsedMs: Date.now() - startedAt,
    });
    return 'failed';
  } catch (error) {
    options.logger.warn('webhook delivery failed', {
      ...options.logContext,
      errorName: errorName(error),
      errorMessage: redactSecret(errorMessage(error), options.rawUrl),
      timeoutMs,
      elapsedMs: Date.now() - startedAt,
    });
    return 'failed';
  }
}
