/**
 * A small simulated account for the Auto Scaling, EC2, SSM and Terraform contract tests: N instances InService on the
 * old AMI, no lifecycle hooks unless a test adds them, and helpers that run an API call or the clock.
 */
import { World, OLD_AMI } from '../../../sim/world';
import { NO_FAULTS } from '../../../sim/faults';
import type { Timings } from '../../../sim/timings';

export async function smallWorld(instances = 4, timings: Partial<Timings> = {}): Promise<World> {
  const world = new World({ seed: 3, shape: { instances }, faults: NO_FAULTS, timings });
  await world.bootstrap();
  world.asg.imageResolver = () => world.ssm.value('/p/approved') ?? OLD_AMI;
  world.ssm.publish('/p/approved', OLD_AMI, 'String', 'aws:ec2:image');
  return world;
}

/** Runs a fake client call to completion on the virtual clock; rejects as the call does. */
export async function call<T>(world: World, promise: Promise<T>): Promise<T> {
  let outcome: { value?: T; error?: unknown; done: boolean } = { done: false };
  void promise.then(
    (value) => (outcome = { value, done: true }),
    (error: unknown) => (outcome = { error, done: true }),
  );
  await world.sim.run(world.sim.now + 60, () => outcome.done);
  if (outcome.error !== undefined) throw outcome.error;
  return outcome.value as T;
}

/** Advances the clock by `seconds`, or until `done` holds; returns the lowest InService count seen (every 5 s). */
export async function advance(world: World, seconds: number, done: () => boolean = () => false): Promise<number> {
  let lowest = Number.POSITIVE_INFINITY;
  let next = world.sim.now;
  await world.sim.run(world.sim.now + seconds, () => {
    if (world.sim.now >= next) {
      next = world.sim.now + 5;
      const inService = [...world.asg.instances.values()].filter((i) => i.lifecycleState === 'InService').length;
      lowest = Math.min(lowest, inService);
    }
    return done();
  });
  return lowest;
}

export function protectAll(world: World): void {
  world.asg.protectFromScaleIn = true;
  for (const instance of world.asg.instances.values()) instance.protectedFromScaleIn = true;
}

/** The ids of the group's instances that are not terminating. */
export function aliveIds(world: World): string[] {
  return world.asg.alive().map((i) => i.id);
}

/** Moves the clock to now + `seconds` exactly (an event at that time makes the loop advance even when idle). */
export async function sleep(world: World, seconds: number): Promise<void> {
  const until = world.sim.now + seconds;
  world.sim.at(until, () => undefined);
  await world.sim.run(until);
}
