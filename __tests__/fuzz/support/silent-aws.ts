/**
 * Real SDK v3 clients behind aws-sdk-client-mock with no behaviour: every call is recorded and answered with nothing.
 * A handler that must ignore an event may not call AWS at all, so the fuzzers assert `calls()` is empty.
 */
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SNSClient } from '@aws-sdk/client-sns';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';

export function silentAws() {
  const clients = {
    ecs: new ECSClient({ region: 'us-west-2' }),
    autoScaling: new AutoScalingClient({ region: 'us-west-2' }),
    ec2: new EC2Client({ region: 'us-west-2' }),
    ssm: new SSMClient({ region: 'us-west-2' }),
    sns: new SNSClient({ region: 'us-west-2' }),
  };
  const mocks = [
    mockClient(clients.ecs),
    mockClient(clients.autoScaling),
    mockClient(clients.ec2),
    mockClient(clients.ssm),
    mockClient(clients.sns),
  ];
  /** Command class names of every call since the last `reset()`. */
  const calls = () => mocks.flatMap((mock) => mock.calls().map((call) => (call.args[0] as object).constructor.name));
  const reset = () => mocks.forEach((mock) => mock.resetHistory());
  return { clients, calls, reset };
}

/** A notifier that records what it is asked to send (nothing may be notified about an ignored event). */
export function recordingNotifier() {
  const sent: unknown[] = [];
  return { sent, notify: async (n: unknown) => (sent.push(n), { delivered: true, deduped: false }) as never };
}

/** A pipeline webhook that records what it is asked to post. */
export function recordingPipeline() {
  const posted: unknown[] = [];
  return { posted, post: async (p: unknown) => (posted.push(p), 'sent' as const) };
}
