/**
 * The webhook client against a REAL HTTP server on loopback (node:http on 127.0.0.1, random port): status handling,
 * deadline, scheme policy, and that the secret URL never reaches a log line.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { createNotifier, type Notification } from '../../lambdas/shared/notifier';
import {
  checkWebhookUrl,
  createSsmWebhookUrlSource,
  postWebhook,
  redactSecret,
  type NotifierLogger,
} from '../../lambdas/shared/webhook';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void;

interface LoopbackServer {
  url: string;
  requests: Array<{ method?: string; path?: string; contentType?: string; body: string }>;
  close(): Promise<void>;
}

const SECRET_PATH = '/services/T000SECRET/B000SECRET/xoxSecretToken123';

async function startServer(handler: Handler): Promise<LoopbackServer> {
  const requests: LoopbackServer['requests'] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      requests.push({ method: req.method, path: req.url, contentType: req.headers['content-type'], body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${SECRET_PATH}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function recordingLogger(): NotifierLogger & { lines: string[] } {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (message: string, ...extra: Record<string, unknown>[]) =>
      lines.push(JSON.stringify({ level, message, extra }));
  return { lines, debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

const notification: Notification = {
  kind: 'refresh.failed',
  severity: 'critical',
  cluster: 'prod',
  nodeGroup: 'web',
  title: 'Instance refresh failed',
  details: { amiId: 'ami-0123456789abcdef0', instances: 4 },
  dedupeKey: 'prod:web:refresh.failed:r-1',
};

describe('webhook client against a loopback HTTP server', () => {
  let server: LoopbackServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('posts the Slack JSON body and reports 200 as sent', async () => {
    // GIVEN a server answering 200
    server = await startServer((_req, res) => res.writeHead(200).end('ok'));
    const logger = recordingLogger();
    // WHEN a notification is sent through the notifier with the test-only loopback option
    const notifier = createNotifier({
      logger,
      webhookUrl: { get: async () => server!.url },
      allowInsecureLoopbackForTests: true,
    });
    const result = await notifier.notify(notification);
    // THEN the server received one JSON POST with text + blocks, and the result says delivered
    expect(result).toEqual({ deduped: false, sns: 'skipped', webhook: 'sent', delivered: true });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: SECRET_PATH, contentType: 'application/json' });
    const body = JSON.parse(server.requests[0].body);
    expect(body.text).toContain('prod/web: Instance refresh failed');
    expect(body.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Instance refresh failed' } });
    expect(JSON.stringify(body.blocks)).toContain('ami-0123456789abcdef0');
    expect(logger.lines.join('\n')).not.toContain('SECRET');
  });

  it.each([400, 403, 404, 500, 503])('logs status %i without throwing and without the URL', async (status) => {
    // GIVEN a server that rejects every post with the status
    server = await startServer((_req, res) => res.writeHead(status).end('invalid_token'));
    const logger = recordingLogger();
    // WHEN posting
    const outcome = await postWebhook({
      rawUrl: server.url,
      payload: { text: 'x' },
      logger,
      allowInsecureLoopbackForTests: true,
    });
    // THEN the outcome is 'failed', the status is logged, the secret path is not
    expect(outcome).toBe('failed');
    const logs = logger.lines.join('\n');
    expect(logs).toContain(`"statusCode":${status}`);
    expect(logs).not.toContain('SECRET');
    expect(logs).not.toContain(server.url);
  });

  it('aborts a server that never answers within the deadline', async () => {
    // GIVEN a server that accepts the request but never responds
    server = await startServer(() => undefined);
    const logger = recordingLogger();
    const started = Date.now();
    // WHEN posting with a 300 ms deadline
    const outcome = await postWebhook({
      rawUrl: server.url,
      payload: { text: 'x' },
      logger,
      timeoutMs: 300,
      allowInsecureLoopbackForTests: true,
    });
    const elapsed = Date.now() - started;
    // THEN it gave up after ~300 ms (well before the 3 s cap), logged a failure, and no URL leaked
    expect(outcome).toBe('failed');
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2000);
    expect(logger.lines.join('\n')).toMatch(/webhook delivery failed/);
    expect(logger.lines.join('\n')).not.toContain('SECRET');
  });

  it('clamps a requested deadline above 3 s to 3 s', async () => {
    // GIVEN a fake sender that records the timeout it was given
    const seen: number[] = [];
    // WHEN asking for 60 s
    await postWebhook({
      rawUrl: 'https://hooks.example.com/x',
      payload: {},
      logger: recordingLogger(),
      timeoutMs: 60_000,
      sender: async ({ timeoutMs }) => {
        seen.push(timeoutMs);
        return { status: 200 };
      },
    });
    // THEN the sender saw at most 3000 ms
    expect(seen).toEqual([3000]);
  });

  it('refuses plain http when not in test-loopback mode, with a clear log line and no request', async () => {
    // GIVEN a live loopback server
    server = await startServer((_req, res) => res.writeHead(200).end());
    const logger = recordingLogger();
    // WHEN posting to its http:// URL without the test-only option
    const outcome = await postWebhook({ rawUrl: server.url, payload: {}, logger });
    // THEN nothing was sent, the refusal names the scheme, and the URL is not logged
    expect(outcome).toBe('refused');
    expect(server.requests).toHaveLength(0);
    expect(logger.lines.join('\n')).toMatch(/scheme \\"http:\\" is not allowed, only https:/);
    expect(logger.lines.join('\n')).not.toContain('SECRET');
  });

  it('refuses http to a non-loopback host even with the test-only option', () => {
    // GIVEN / WHEN / THEN the loopback exception is narrow
    expect(checkWebhookUrl('http://hooks.example.com/x', true).ok).toBe(false);
    expect(checkWebhookUrl('http://localhost:1/x', true).ok).toBe(true);
    expect(checkWebhookUrl('ftp://127.0.0.1/x', true).ok).toBe(false);
    expect(checkWebhookUrl('not a url').ok).toBe(false);
    expect(checkWebhookUrl('https://hooks.slack.com/services/x').ok).toBe(true);
  });

  it('redacts the connection error of an unreachable port', async () => {
    // GIVEN a port nobody listens on (a server opened then closed)
    const closed = await startServer(() => undefined);
    await closed.close();
    const logger = recordingLogger();
    // WHEN posting
    const outcome = await postWebhook({ rawUrl: closed.url, payload: {}, logger, allowInsecureLoopbackForTests: true });
    // THEN a failure is logged without the secret
    expect(outcome).toBe('failed');
    expect(logger.lines.join('\n')).toMatch(/ECONNREFUSED/);
    expect(logger.lines.join('\n')).not.toContain('SECRET');
  });
});

describe('redactSecret', () => {
  it('removes the full URL and its path', () => {
    // GIVEN a message echoing the URL and, separately, its path
    const url = `https://hooks.slack.com${SECRET_PATH}`;
    // WHEN redacting / THEN neither survives
    expect(redactSecret(`failed ${url} and ${SECRET_PATH}`, url)).not.toContain('SECRET');
  });
});

describe('SSM webhook URL source', () => {
  const ssm = mockClient(SSMClient);
  beforeEach(() => ssm.reset());

  it('reads WithDecryption once and caches for the TTL', async () => {
    // GIVEN a SecureString parameter and a controllable clock
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: 'https://hooks.example.com/a' } });
    let nowMs = 0;
    const source = createSsmWebhookUrlSource({
      ssm: ssm as unknown as SSMClient,
      parameterName: '/x/webhook',
      logger: recordingLogger(),
      ttlMs: 1000,
      nowMs: () => nowMs,
    });
    // WHEN reading three times, the last after the TTL
    await source.get();
    nowMs = 500;
    await source.get();
    nowMs = 1500;
    const value = await source.get();
    // THEN SSM was called twice, with decryption
    expect(value).toBe('https://hooks.example.com/a');
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
    expect(ssm.commandCalls(GetParameterCommand)[0].args[0].input).toEqual({
      Name: '/x/webhook',
      WithDecryption: true,
    });
  });

  it('keeps the last value when a refresh fails and never logs it', async () => {
    // GIVEN one success then an access error
    ssm
      .on(GetParameterCommand)
      .resolvesOnce({ Parameter: { Value: 'https://hooks.example.com/SECRET' } })
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    let nowMs = 0;
    const logger = recordingLogger();
    const source = createSsmWebhookUrlSource({
      ssm: ssm as unknown as SSMClient,
      parameterName: '/x/webhook',
      logger,
      ttlMs: 10,
      nowMs: () => nowMs,
    });
    await source.get();
    nowMs = 100;
    // WHEN the refresh fails
    const value = await source.get();
    // THEN the cached value is used, the failure is logged, the value is not
    expect(value).toBe('https://hooks.example.com/SECRET');
    expect(logger.lines.join('\n')).toContain('AccessDeniedException');
    expect(logger.lines.join('\n')).not.toContain('SECRET');
  });
});
