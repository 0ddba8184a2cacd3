/**
 * lib/function/sdk-schema-shaking.ts: inlining the SDK schemas' constant computed keys must shrink the bundles and
 * change nothing the SDK does — the same requests, the same parsed responses and errors.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import { build } from 'esbuild';
import { lambdaBuildOptions } from '../../../lib/function/esbuild-options';
import { inlineConstantKeys, sdkSchemaShaking, SDK_SCHEMA_MODULE } from '../../../lib/function/sdk-schema-shaking';
import { startAwsStubServer, stubError, type AwsStubServer, type StubHandler } from '../../support/aws-stub-server';

jest.setTimeout(120_000);

const PROJECT_ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXTURE = path.join(__dirname, 'fixtures', 'sdk-calls.ts');

describe('inlineConstantKeys', () => {
  it('replaces computed keys named by a module-level string constant, and nothing else', () => {
    // GIVEN a module in the shape of an SDK schema module
    const source = [
      'const _xN = "xmlName";',
      'const _eQN = "ec2QueryName";',
      'const _esc = "with \\"escape\\"";',
      'export var A$ = [3, n0, "A", 0, [_M], [[1, { [_eQN]: `Min`, [_xN]: _m }]]];',
      'export var B$ = [3, n0, "B", 0, [], [[0, { [_esc]: 1, [local]: 2 }]]];',
    ].join('\n');
    // WHEN transformed
    const { code, replaced } = inlineConstantKeys(source);
    // THEN the two resolvable keys are literals; the escaped constant and the non-constant key are untouched
    expect(replaced).toBe(2);
    expect(code).toContain('{ "ec2QueryName": `Min`, "xmlName": _m }');
    expect(code).toContain('{ [_esc]: 1, [local]: 2 }');
  });

  it('matches the schema modules of the SDK clients and nested clients only', () => {
    // GIVEN paths of SDK and other modules / THEN only schema modules under @aws-sdk/*/dist-es match
    expect(SDK_SCHEMA_MODULE.test('/x/node_modules/@aws-sdk/client-ec2/dist-es/schemas/schemas_0.js')).toBe(true);
    expect(
      SDK_SCHEMA_MODULE.test('/x/node_modules/@aws-sdk/nested-clients/dist-es/submodules/sts/schemas/schemas_0.js'),
    ).toBe(true);
    expect(SDK_SCHEMA_MODULE.test('/x/node_modules/@aws-sdk/client-ec2/dist-cjs/index.js')).toBe(false);
    expect(SDK_SCHEMA_MODULE.test('/x/lambdas/schemas/schemas_0.js')).toBe(false);
  });
});

describe('a bundle with the transform against one without', () => {
  let tmp: string;
  let stub: AwsStubServer;
  const bundles: Record<'shaken' | 'full', { file: string; bytes: number }> = {
    shaken: { file: '', bytes: 0 },
    full: { file: '', bytes: 0 },
  };

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-shaking-'));
    for (const variant of ['shaken', 'full'] as const) {
      const result = await build({
        ...lambdaBuildOptions({ entry: FIXTURE, projectRoot: PROJECT_ROOT, externalModules: [] }),
        plugins: variant === 'shaken' ? [sdkSchemaShaking()] : [],
      });
      const code = result.outputFiles.find((f) => f.path.endsWith('index.js'))!;
      const file = path.join(tmp, `${variant}.js`);
      fs.writeFileSync(file, code.contents);
      bundles[variant] = { file, bytes: code.contents.length };
    }
    stub = await startAwsStubServer({ handlers: EXTRA_HANDLERS });
  });

  afterAll(async () => {
    await stub?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is less than half the size', () => {
    // GIVEN both bundles of the same five-client fixture / THEN the transform removed more than half the code
    expect(bundles.shaken.bytes).toBeLessThan(bundles.full.bytes / 2);
  });

  it('sends the same requests and parses every response and error the same way', async () => {
    // GIVEN the stub answering EC2, ECS, SSM, Auto Scaling and SNS calls (successes and errors)
    // WHEN each bundle makes the same calls
    const full = await runBundle(bundles.full.file, stub.url);
    const fullRequests = stub.requests.splice(0).map(({ service, operation, params }) => [service, operation, params]);
    const shaken = await runBundle(bundles.shaken.file, stub.url);
    const shakenRequests = stub.requests
      .splice(0)
      .map(({ service, operation, params }) => [service, operation, params]);
    // THEN requests and results are identical
    expect(shakenRequests).toEqual(fullRequests);
    expect(shaken).toEqual(full);
    // AND the results are real parses, not errors of the bundle (spot checks of nested and typed members)
    expect(shaken.describeInstances).toMatchObject({
      output: { Reservations: [{ Instances: [{ InstanceId: 'i-0abc', State: { Code: 16, Name: 'running' } }] }] },
    });
    expect(shaken.describeImages).toMatchObject({
      output: { Images: expect.arrayContaining([expect.objectContaining({ BlockDeviceMappings: expect.any(Array) })]) },
    });
    expect(shaken.describeGroups).toMatchObject({
      output: { AutoScalingGroups: [{ AutoScalingGroupName: 'web-x86' }] },
    });
    expect(shaken.listTasksThrottled).toMatchObject({ error: { name: 'ThrottlingException' } });
    expect(shaken.getParameterMissing).toMatchObject({ error: { name: 'ParameterNotFound', fault: 'client' } });
    expect(shaken.publish).toMatchObject({ output: { MessageId: 'm-1' } });
  });
});

/** Runs the bundle's `callAll` in a child Node.js process (outside jest's module registry) and returns its result. */
async function runBundle(file: string, endpoint: string): Promise<Record<string, unknown>> {
  const script =
    `require(${JSON.stringify(file)}).callAll(${JSON.stringify(endpoint)})` +
    '.then((r) => process.stdout.write(JSON.stringify(r)))';
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { env: { PATH: process.env.PATH } });
  return JSON.parse(stdout) as Record<string, unknown>;
}

/** Shapes as in the EC2 and Auto Scaling API references (Query protocol: only the result's inner XML). */
const EXTRA_HANDLERS: Record<string, StubHandler> = {
  'ec2.DescribeInstances': () => ({
    body:
      '<reservationSet><item><reservationId>r-0abc</reservationId><ownerId>123456789012</ownerId>' +
      '<groupSet/><instancesSet><item><instanceId>i-0abc</instanceId><imageId>ami-0abc</imageId>' +
      '<instanceState><code>16</code><name>running</name></instanceState><instanceType>m7g.large</instanceType>' +
      '<launchTime>2025-01-01T12:00:00.000Z</launchTime><placement><availabilityZone>eu-west-1a</availabilityZone>' +
      '</placement><blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs><volumeId>vol-0abc</volumeId>' +
      '<status>attached</status><attachTime>2025-01-01T12:00:01.000Z</attachTime>' +
      '<deleteOnTermination>true</deleteOnTermination></ebs></item></blockDeviceMapping>' +
      '<tagSet><item><key>aws:autoscaling:groupName</key><value>web-x86</value></item></tagSet>' +
      '</item></instancesSet></item></reservationSet>',
  }),
  'autoscaling.DescribeAutoScalingGroups': () => ({
    body:
      '<AutoScalingGroups><member><AutoScalingGroupName>web-x86</AutoScalingGroupName>' +
      '<MinSize>2</MinSize><MaxSize>20</MaxSize><DesiredCapacity>3</DesiredCapacity>' +
      '<CreatedTime>2025-01-01T12:00:00.000Z</CreatedTime><Instances><member><InstanceId>i-0abc</InstanceId>' +
      '<LifecycleState>InService</LifecycleState><ProtectedFromScaleIn>true</ProtectedFromScaleIn>' +
      '<HealthStatus>Healthy</HealthStatus></member></Instances></member></AutoScalingGroups>',
  }),
  'ecs.ListTasks': () => stubError('ThrottlingException', 'Rate exceeded'),
  'sns.Publish': () => ({ body: '<MessageId>m-1</MessageId>' }),
};
