/**
 * A loopback AWS API stub for running REAL `terraform plan` offline.
 *
 * The hashicorp/aws provider only talks to AWS at plan time to read data sources (no state → no refresh of managed
 * resources), so this server implements just those reads: SSM GetParameter(s), ECS DescribeClusters, STS
 * GetCallerIdentity, EC2 DescribeImages and DescribeAvailabilityZones. Every request is recorded in `requests`; an
 * operation without a handler is recorded in `unhandled` and answered with a non-retryable `StubNotImplemented` error
 * so Terraform fails loudly and names the operation (add a handler through `handlers`).
 *
 * Routing: all services share one endpoint (`url`). The service is taken from the SigV4 credential scope of the
 * `Authorization` header (`Credential=AKID/date/region/<service>/aws4_request`), the operation from `X-Amz-Target`
 * (JSON 1.0/1.1 protocols) or the form field `Action` (Query and EC2 protocols).
 */
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** The account every stubbed ARN and `GetCallerIdentity` answer uses. */
import {
  STUB_ACCOUNT_ID,
  azXml,
  clusterArn,
  describeCluster,
  escapeXml,
  filterImages,
  imageXml,
} from './aws-stub-responses';

export { STUB_ACCOUNT_ID } from './aws-stub-responses';
/** Image id served for the ECS-optimized Amazon Linux 2023 x86_64 "recommended" parameters. */
export const STUB_AL2023_X86_AMI_ID = 'ami-0123456789abcdef0';
/** Image id served for the ECS-optimized Amazon Linux 2023 arm64 "recommended" parameters. */
export const STUB_AL2023_ARM64_AMI_ID = 'ami-0fedcba9876543210';
/** Name of the ECS cluster that `DescribeClusters` knows by default (for "adopt an existing cluster" tests). */
export const STUB_EXISTING_CLUSTER_NAME = 'existing-cluster';

const ECS_AMI_PARAM_PREFIX = '/aws/service/ecs/optimized-ami/amazon-linux-2023';

/** SSM parameters served by default: the public ECS-optimized AMI parameters (x86_64 and arm64, id and JSON form). */
export const DEFAULT_STUB_SSM_PARAMETERS: Readonly<Record<string, string>> = {
  [`${ECS_AMI_PARAM_PREFIX}/recommended/image_id`]: STUB_AL2023_X86_AMI_ID,
  [`${ECS_AMI_PARAM_PREFIX}/arm64/recommended/image_id`]: STUB_AL2023_ARM64_AMI_ID,
  [`${ECS_AMI_PARAM_PREFIX}/recommended`]: JSON.stringify({
    image_id: STUB_AL2023_X86_AMI_ID,
    image_name: 'al2023-ami-ecs-hvm-2023.0.20250101-kernel-6.1-x86_64',
    ecs_agent_version: '1.89.2',
    os: 'Amazon Linux 2023',
  }),
  [`${ECS_AMI_PARAM_PREFIX}/arm64/recommended`]: JSON.stringify({
    image_id: STUB_AL2023_ARM64_AMI_ID,
    image_name: 'al2023-ami-ecs-hvm-2023.0.20250101-kernel-6.1-arm64',
    ecs_agent_version: '1.89.2',
    os: 'Amazon Linux 2023',
  }),
};

/** An AMI that `DescribeImages` can return. */
export interface StubImage {
  readonly imageId: string;
  readonly name: string;
  /** ISO-8601 timestamp. */
  readonly creationDate: string;
  /** @default 'x86_64' */
  readonly architecture?: 'x86_64' | 'arm64';
  /** @default '591542846629' (the owner of the public ECS-optimized AMIs) */
  readonly ownerId?: string;
  /** Root device (and block device mapping) name. @default '/dev/xvda' */
  readonly rootDeviceName?: string;
  /** Root EBS volume size in GiB. @default 30 */
  readonly rootVolumeSize?: number;
}

/** AMIs known by default: the two images the default SSM parameters point to. */
export const DEFAULT_STUB_IMAGES: readonly StubImage[] = [
  {
    imageId: STUB_AL2023_X86_AMI_ID,
    name: 'al2023-ami-ecs-hvm-2023.0.20250101-kernel-6.1-x86_64',
    creationDate: '2025-01-01T00:00:00.000Z',
  },
  {
    imageId: STUB_AL2023_ARM64_AMI_ID,
    name: 'al2023-ami-ecs-hvm-2023.0.20250101-kernel-6.1-arm64',
    creationDate: '2025-01-01T00:00:00.000Z',
    architecture: 'arm64',
  },
];

/** An ECS cluster that `DescribeClusters` reports as ACTIVE. */
export interface StubEcsCluster {
  readonly name: string;
  /** @default 'ACTIVE' */
  readonly status?: string;
  /** `containerInsights` setting value. @default 'disabled' */
  readonly containerInsights?: string;
  /** @default [] */
  readonly capacityProviders?: readonly string[];
}

/** One AWS API call as the stub saw it. */
export interface StubRequest {
  /** Signing name from the SigV4 scope, e.g. `ssm`, `ecs`, `sts`, `ec2`. */
  readonly service: string;
  /** Operation name, e.g. `GetParameter`; for REST protocols `<METHOD> <path>`. */
  readonly operation: string;
  readonly protocol: 'json' | 'query' | 'rest';
  /** Parsed JSON body (JSON protocols) or form fields (Query/EC2 protocols, flat `Filter.1.Name` keys). */
  readonly params: Record<string, unknown>;
  readonly region: string;
}

/** What a handler returns: a successful payload, or an AWS error (code + message, HTTP 400 unless `status`). */
export type StubResult =
  | { readonly body: Record<string, unknown> | string }
  | { readonly error: { readonly code: string; readonly message: string; readonly status?: number } };

/**
 * A custom operation handler. JSON protocols: `body` is an object; Query/EC2: `body` is the XML *result* inner text.
 */
export type StubHandler = (request: StubRequest) => StubResult;

export interface AwsStubServerOptions {
  /** Parameter name → value, merged over {@link DEFAULT_STUB_SSM_PARAMETERS}. @default the defaults */
  readonly ssmParameters?: Readonly<Record<string, string>>;
  /** Clusters `DescribeClusters` knows. @default one ACTIVE cluster named {@link STUB_EXISTING_CLUSTER_NAME} */
  readonly ecsClusters?: readonly StubEcsCluster[];
  /** Images `DescribeImages` knows, added to {@link DEFAULT_STUB_IMAGES}. @default the defaults */
  readonly images?: readonly StubImage[];
  /** Extra or replacement handlers keyed `<service>.<Operation>`, e.g. `ec2.DescribeVpcs`. @default none */
  readonly handlers?: Readonly<Record<string, StubHandler>>;
}

export interface AwsStubServer {
  /** Base URL (`http://127.0.0.1:<port>`) to use as every service endpoint. */
  readonly url: string;
  /** Every request received, in order. */
  readonly requests: StubRequest[];
  /** Requests no handler could answer (each was answered with `StubNotImplemented`). */
  readonly unhandled: StubRequest[];
  /** Requests for one operation, e.g. `calls('ssm', 'GetParameter')`. */
  calls(service: string, operation: string): StubRequest[];
  /** Stops listening; resolves when all connections are closed. */
  close(): Promise<void>;
}

const JSON_TARGET_PREFIX_TO_SERVICE: Readonly<Record<string, string>> = {
  AmazonSSM: 'ssm',
  AmazonEC2ContainerServiceV20141113: 'ecs',
};
const QUERY_XMLNS: Readonly<Record<string, string>> = {
  sts: 'https://sts.amazonaws.com/doc/2011-06-15/',
  ec2: 'http://ec2.amazonaws.com/doc/2016-11-15/',
  autoscaling: 'http://autoscaling.amazonaws.com/doc/2011-01-01/',
  iam: 'https://iam.amazonaws.com/doc/2010-05-08/',
};

/** Starts the stub on 127.0.0.1 with a random free port. Always `close()` it (e.g. in `afterAll`). */
export async function startAwsStubServer(options: AwsStubServerOptions = {}): Promise<AwsStubServer> {
  const handlers = { ...defaultHandlers(options), ...options.handlers };
  const requests: StubRequest[] = [];
  const unhandled: StubRequest[] = [];

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = parseRequest(req, Buffer.concat(chunks).toString('utf8'));
      requests.push(request);
      const handler = handlers[`${request.service}.${request.operation}`];
      let result: StubResult;
      if (handler) {
        result = handler(request);
      } else {
        unhandled.push(request);
        result = stubError(
          'StubNotImplemented',
          `aws-stub-server has no handler for ${request.service}.${request.operation} ` +
            `(add one via AwsStubServerOptions.handlers in __tests__/support/aws-stub-server.ts)`,
        );
      }
      writeResponse(res, request, result);
    });
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    unhandled,
    calls: (service, operation) => requests.filter((r) => r.service === service && r.operation === operation),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Shorthand for an AWS error result. */
export function stubError(code: string, message: string, status = 400): StubResult {
  return { error: { code, message, status } };
}

function parseRequest(req: http.IncomingMessage, body: string): StubRequest {
  // Credential=AKID/20250101/us-east-1/ssm/aws4_request
  const scope = /Credential=[^/]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(req.headers.authorization ?? '');
  const region = scope?.[1] ?? 'unknown';
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix, operation] = target.split('.');
    const service = scope?.[2] ?? JSON_TARGET_PREFIX_TO_SERVICE[prefix] ?? prefix;
    return {
      service,
      operation,
      protocol: 'json',
      params: body ? (JSON.parse(body) as Record<string, unknown>) : {},
      region,
    };
  }
  const form = Object.fromEntries(new URLSearchParams(body));
  const service = scope?.[2] ?? 'unknown';
  if (req.method === 'POST' && form.Action) {
    return { service, operation: form.Action, protocol: 'query', params: form, region };
  }
  return { service, operation: `${req.method} ${req.url}`, protocol: 'rest', params: { body }, region };
}

function writeResponse(res: http.ServerResponse, request: StubRequest, result: StubResult): void {
  const requestId = randomUUID();
  const send = (status: number, contentType: string, payload: string, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { 'Content-Type': contentType, 'x-amzn-RequestId': requestId, ...extra });
    res.end(payload);
  };
  if (request.protocol !== 'query') {
    // JSON protocols; REST requests only ever reach the "not implemented" path, so a JSON error is good enough.
    if ('error' in result) {
      const { code, message, status = 400 } = result.error;
      send(status, 'application/x-amz-json-1.1', JSON.stringify({ __type: code, message }), {
        'x-amzn-ErrorType': code,
      });
    } else {
      send(200, 'application/x-amz-json-1.1', JSON.stringify(result.body));
    }
    return;
  }
  const { operation, service } = request;
  if ('error' in result) {
    const { code, message, status = 400 } = result.error;
    const text = escapeXml(message);
    const error = `<Code>${code}</Code><Message>${text}</Message>`;
    const xml =
      service === 'ec2' // EC2 protocol error shape differs from the Query one
        ? `<Response><Errors><Error>${error}</Error></Errors><RequestID>${requestId}</RequestID></Response>`
        : `<ErrorResponse><Error><Type>Sender</Type>` +
          `${error}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    send(status, 'text/xml', xml);
    return;
  }
  const xmlns = QUERY_XMLNS[service] ?? '';
  const inner = typeof result.body === 'string' ? result.body : '';
  const xml =
    service === 'ec2' // the EC2 protocol has no <XxxResult> wrapper and a lower-case requestId
      ? `<${operation}Response xmlns="${xmlns}"><requestId>${requestId}</requestId>${inner}</${operation}Response>`
      : `<${operation}Response xmlns="${xmlns}"><${operation}Result>${inner}</${operation}Result>` +
        `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`;
  send(200, 'text/xml', xml);
}

function defaultHandlers(options: AwsStubServerOptions): Record<string, StubHandler> {
  const parameters: Record<string, string> = { ...DEFAULT_STUB_SSM_PARAMETERS, ...options.ssmParameters };
  const clusters = options.ecsClusters ?? [{ name: STUB_EXISTING_CLUSTER_NAME }];
  const images = [...DEFAULT_STUB_IMAGES, ...(options.images ?? [])];

  const ssmParameter = (name: string, region: string): Record<string, unknown> => ({
    Name: name,
    Type: 'String',
    Value: parameters[name],
    Version: 1,
    DataType: name.endsWith('image_id') ? 'aws:ec2:image' : 'text',
    LastModifiedDate: 1735689600,
    ARN: `arn:aws:ssm:${region}:${STUB_ACCOUNT_ID}:parameter/${name.replace(/^\//, '')}`,
  });

  return {
    'ssm.GetParameter': (r) => {
      const name = String(r.params.Name);
      return name in parameters
        ? { body: { Parameter: ssmParameter(name, r.region) } }
        : stubError('ParameterNotFound', `Parameter ${name} not found.`);
    },
    'ssm.GetParameters': (r) => {
      const names = (r.params.Names as string[] | undefined) ?? [];
      return {
        body: {
          Parameters: names.filter((n) => n in parameters).map((n) => ssmParameter(n, r.region)),
          InvalidParameters: names.filter((n) => !(n in parameters)),
        },
      };
    },
    'ecs.DescribeClusters': (r) => {
      const wanted = (r.params.clusters as string[] | undefined) ?? ['default'];
      const found = wanted.map(
        (ref) => [ref, clusters.find((c) => c.name === ref || clusterArn(c.name, r.region) === ref)] as const,
      );
      return {
        body: {
          clusters: found.filter(([, c]) => c).map(([, c]) => describeCluster(c as StubEcsCluster, r.region)),
          failures: found.filter(([, c]) => !c).map(([ref]) => ({ arn: clusterArn(ref, r.region), reason: 'MISSING' })),
        },
      };
    },
    'sts.GetCallerIdentity': () => ({
      body:
        `<Arn>arn:aws:iam::${STUB_ACCOUNT_ID}:user/terraform-test</Arn>` +
        `<UserId>AIDASTUBUSERID000000</UserId><Account>${STUB_ACCOUNT_ID}</Account>`,
    }),
    'ec2.DescribeImages': (r) => ({
      body: `<imagesSet>${filterImages(images, r.params).map(imageXml).join('')}</imagesSet>`,
    }),
    // data "aws_ami" asks for the UEFI variable store of uefi-capable images (and ignores errors); none here.
    'ec2.GetInstanceUefiData': (r) => ({
      body: `<instanceId>${escapeXml(String(r.params.InstanceId))}</instanceId><uefiData></uefiData>`,
    }),
    'ec2.DescribeAvailabilityZones': (r) => ({
      body: `<availabilityZoneInfo>${['a', 'b', 'c']
        .map((s, i) => azXml(r.region, s, i + 1))
        .join('')}</availabilityZoneInfo>`,
    }),
  };
}
