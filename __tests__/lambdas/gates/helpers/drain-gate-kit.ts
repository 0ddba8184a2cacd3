/** The drain gate under test against the fake AWS world: one terminating instance, and its documented events. */
import { createDrainGateHandler } from '../../../../lambdas/gates/gate-handlers';
import { FakeContainerInstance, FakeWorld, fakeDeps } from './fake-aws';
import { ASG, CLUSTER_ARN, TERMINATE_HOOK, adaptEvent, at, loadEvent, testConfig } from './gate-test-kit';

export const ID = 'i-0old0000000000001';
export const terminateEvent = () =>
  adaptEvent(
    'autoscaling-terminate-lifecycle-action.json',
    {},
    { AutoScalingGroupName: ASG, LifecycleHookName: TERMINATE_HOOK, EC2InstanceId: ID },
  );
export const sweep = () => loadEvent('eventbridge-scheduled-event.json');
/** The documented container-instance event as ECS sends it once the draining instance has no task left. */
export const emptied = (ci: FakeContainerInstance) => {
  const event = adaptEvent(
    'ecs-container-instance-state-change.json',
    {},
    { clusterArn: CLUSTER_ARN, status: 'DRAINING', ec2InstanceId: ID, containerInstanceArn: ci.arn },
  );
  return { ...event, detail: { ...event.detail, remainingResources: event.detail.registeredResources } };
};
export const ecsCallNames = (ecsMock: { calls(): { args: unknown[] }[] }) =>
  ecsMock.calls().map((call) => (call.args[0] as object).constructor.name.replace(/Command$/, ''));

export function setup(prepare: (world: FakeWorld, ci: FakeContainerInstance) => void, configOverrides = {}) {
  const world = new FakeWorld();
  world.addInstance(ID, 'Terminating:Wait');
  const ci = world.register(ID);
  world.addService('web');
  prepare(world, ci);
  const kit = fakeDeps(world, testConfig(configOverrides), at(0));
  return { world, ci, ...kit, handler: createDrainGateHandler(kit.deps) };
}
