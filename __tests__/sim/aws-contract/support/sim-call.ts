/** Requests through the simulator's fake clients, with virtual time running until AWS answered. */
import type { FakeAwsClient } from '../../../../sim/aws/fake-clients';
import type { World } from '../../../../sim/world';

/** Sends `command` and runs the simulation (in 0.5 s steps, at most 30 s) until the answer arrived. */
export async function simCall(w: World, client: FakeAwsClient, command: unknown): Promise<unknown> {
  let outcome: { value?: unknown; error?: unknown } | undefined;
  client.send(command).then(
    (value: unknown) => (outcome = { value }),
    (error: unknown) => (outcome = { error }),
  );
  const until = w.sim.now + 30;
  while (outcome === undefined && w.sim.now < until) await w.sim.run(w.sim.now + 0.5);
  if (outcome === undefined) throw new Error('no answer within 30 s of virtual time');
  if ('error' in outcome) throw outcome.error;
  return outcome.value;
}
