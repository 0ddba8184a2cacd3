/**
 * Simulated API throttling and SDK retries against AWS's documents (Auto Scaling, EC2, SSM and the SDKs; the ECS rows
 * are in ecs-*.test.ts). One test per row of docs/aws-contract.md, "API rate limits".
 */
import { DescribeAutoScalingGroupsCommand, DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeImagesCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { bucketSelector } from '../../../sim/aws/api-buckets';
import { BOTO3_LEGACY, FakeAwsClient, JS_SDK_STANDARD } from '../../../sim/aws/fake-clients';
import { Rng } from '../../../sim/rng';
import { TIMINGS } from '../../../sim/timings';
import { World } from '../../../sim/world';

/** A world whose API calls all take exactly 2 ms, so a burst reaches AWS at one instant. */
async function world(): Promise<World> {
  const w = new World({
    seed: 11,
    shape: { instances: 2 },
    timings: { apiLatency: { median: 0.002, sigma: 0, min: 0.002, max: 0.002 } },
  });
  await w.bootstrap();
  return w;
}

/** Sends `count` calls at the same instant; returns how many first attempts AWS throttled. */
async function burst(w: World, send: () => Promise<unknown>, count: number): Promise<number> {
  const before = w.metrics.throttledCalls;
  for (let i = 0; i < count; i++) void send().catch(() => undefined);
  await w.sim.run(w.sim.now + 0.0015);
  return w.metrics.throttledCalls - before;
}

describe('API rate limits and SDK retries', () => {
  it('Auto Scaling: every action draws from ONE shared bucket per account and Region', async () => {
    // GIVEN the documented single shared limit (its size, 40 burst / 10 per s, is an assumption)
    const select = bucketSelector('AutoScaling', TIMINGS);
    expect(select('DescribeAutoScalingInstances', {}).key).toBe(select('CompleteLifecycleAction', {}).key);
    // WHEN 30 DescribeAutoScalingGroups and 30 DescribeAutoScalingInstances arrive at once
    const w = await world();
    const asg = w.clients.autoScaling;
    for (let i = 0; i < 30; i++) void asg.send(new DescribeAutoScalingGroupsCommand({})).catch(() => undefined);
    const throttled = await burst(w, () => asg.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [] })), 30);
    // THEN together they exceed the shared 40-token burst (separate per-action buckets would not throttle)
    expect(throttled).toBe(20);
  });

  it('EC2: one bucket per action; unfiltered DescribeInstances draws from the smaller 50 / 10 bucket', async () => {
    const select = bucketSelector('EC2', TIMINGS);
    expect(select('DescribeInstances', {}).spec).toEqual({ capacity: 50, refillPerSecond: 10 });
    expect(select('DescribeInstances', { Filters: [] }).spec).toEqual({ capacity: 100, refillPerSecond: 20 });
    expect(select('DescribeImages', {}).spec).toEqual({ capacity: 100, refillPerSecond: 20 });
    expect(select('TerminateInstances', {}).spec).toEqual({ capacity: 50, refillPerSecond: 5 });
    expect(select('DescribeImages', {}).key).not.toBe(select('DescribeInstances', { Filters: [] }).key);
    // WHEN 60 unfiltered DescribeInstances and 60 DescribeImages arrive at once
    const w = await world();
    const ec2 = w.clients.ec2;
    for (let i = 0; i < 60; i++) void ec2.send(new DescribeImagesCommand({})).catch(() => undefined);
    const throttled = await burst(w, () => ec2.send(new DescribeInstancesCommand({})), 60);
    // THEN only the 10 over the 50-token unfiltered bucket are throttled; DescribeImages has its own 100
    expect(throttled).toBe(10);
  });

  it('SSM: GetParameter, GetParameters and GetParametersByPath share the 40 TPS default throughput', () => {
    const select = bucketSelector('SSM', TIMINGS);
    expect(select('GetParameter', {}).key).toBe(select('GetParameters', {}).key);
    expect(select('GetParameter', {}).spec).toEqual({ capacity: 40, refillPerSecond: 40 });
    expect(select('PutParameter', {}).key).not.toBe(select('GetParameter', {}).key);
  });

  it('SSM: a burst of 50 GetParameter calls sees 10 throttled on the first attempt', async () => {
    const w = await world();
    const name = '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id';
    expect(await burst(w, () => w.clients.ssm.send(new GetParameterCommand({ Name: name })), 50)).toBe(10);
  });

  it('JS SDK v3 standard mode: 3 attempts, full-jitter backoff from 500 ms for throttling, capped at 20 s', () => {
    const rng = new Rng(2);
    expect(JS_SDK_STANDARD.maxAttempts(TIMINGS)).toBe(3);
    for (let attempt = 1; attempt <= 8; attempt++) {
      const delay = JS_SDK_STANDARD.throttleDelay(attempt, TIMINGS, rng);
      expect(delay).toBeLessThanOrEqual(Math.min(20, 0.5 * 2 ** (attempt - 1)));
    }
  });

  it('boto3 legacy mode (the Python runtime default): 5 attempts, rand × 2^(attempt − 1) s', () => {
    const rng = new Rng(2);
    expect(BOTO3_LEGACY.maxAttempts(TIMINGS)).toBe(5);
    for (let attempt = 1; attempt <= 4; attempt++)
      expect(BOTO3_LEGACY.throttleDelay(attempt, TIMINGS, rng)).toBeLessThan(2 ** (attempt - 1));
  });

  it('gives up after the last attempt with a throttling error the handlers can recognise', async () => {
    // GIVEN the Auto Scaling bucket drained by a throttling burst
    const w = new World({
      seed: 11,
      shape: { instances: 1 },
      faults: {
        ...(await import('../../../sim/faults')).NO_FAULTS,
        throttleBursts: [{ start: 0, end: 1e9, service: 'AutoScaling' }],
      },
    });
    const client = new FakeAwsClient(w, 'AutoScaling', { DescribeAutoScalingGroups: () => ({}) });
    let failure: unknown;
    void client.send(new DescribeAutoScalingGroupsCommand({})).catch((e: unknown) => (failure = e));
    await w.sim.run(120);
    // THEN the SDK's error: name Throttling, $retryable.throttling, 3 attempts recorded
    expect(failure).toMatchObject({ name: 'Throttling', $retryable: { throttling: true }, $metadata: { attempts: 3 } });
  });
});
