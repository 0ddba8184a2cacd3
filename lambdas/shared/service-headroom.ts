/**
 * Service headroom: can ECS drain a container instance that runs tasks of this service without going below the
 * service's minimum healthy count? Pure: a service's observed shape in, a verdict with its numbers and a fix out. The
 * watcher uses it before a refresh starts (refuse or cancel before the first termination); the drain gate uses it to
 * hold an instance — never force it — when a service lost its headroom mid-rollout.
 *
 * What ECS does (sources):
 * - "Draining Amazon ECS container instances"
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html): RUNNING service
 *   tasks on a DRAINING instance are replaced "according to the service's deployment type and deployment
 *   configuration parameters, minimumHealthyPercent and maximumPercent". With minimum 100 % the scheduler cannot stop
 *   a task until its replacement is healthy; with maximum 100 % it cannot start a replacement until the draining task
 *   stopped. Both at once: nothing moves, ever.
 * - DeploymentConfiguration, Amazon ECS API Reference
 *   (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeploymentConfiguration.html): the maximum is
 *   desiredCount × maximumPercent / 100 rounded DOWN, the minimum desiredCount × minimumHealthyPercent / 100 rounded
 *   UP; defaults 200 % and 100 %. For the CODE_DEPLOY and EXTERNAL deployment controllers the same two
 *   values bound the RUNNING tasks "while the container instances are in the DRAINING state" (EC2 launch type).
 * - "Amazon ECS services", Daemon (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_services.html):
 *   daemon tasks are the last to stop on a DRAINING instance and are not replaced elsewhere, so a daemon service never
 *   blocks a drain; Fargate tasks never run on a container instance.
 * So ECS can make progress on a drain exactly when it may start one task above desiredCount (maximumTasks > desired)
 * or stop one below it (minimumHealthyTasks < desired). Capacity to place the replacement is a separate question:
 * with the default refresh (min 100 % / max 200 % healthy) the replacement instances are up before the first drain.
 */

/** DeploymentConfiguration defaults for REPLICA services (API_DeploymentConfiguration). */
export const DEFAULT_MINIMUM_HEALTHY_PERCENT = 100;
export const DEFAULT_MAXIMUM_PERCENT = 200;

/** A service as the predicate needs it; `serviceShapeOf` builds it from a DescribeServices answer. */
export interface ServiceShape {
  readonly name: string;
  /** ACTIVE | DRAINING | INACTIVE; only ACTIVE services place tasks. @default 'ACTIVE' */
  readonly status?: string;
  /** REPLICA | DAEMON. @default 'REPLICA' */
  readonly schedulingStrategy?: string;
  /** ECS | CODE_DEPLOY | EXTERNAL. @default 'ECS' */
  readonly deploymentController?: string;
  /** EC2 | FARGATE | EXTERNAL; undefined when the service uses a capacity provider strategy. */
  readonly launchType?: string;
  /** Capacity providers of the service's strategy (FARGATE / FARGATE_SPOT never place on a container instance). */
  readonly capacityProviders?: readonly string[];
  readonly desiredCount: number;
  /** @default 100 */
  readonly minimumHealthyPercent?: number;
  /** @default 200 */
  readonly maximumPercent?: number;
}

export type HeadroomVerdict =
  /** ECS can stop or add a task while draining: the drain makes progress. */
  | 'drainable'
  /** Neither: a drain of an instance that runs one of its tasks never finishes. */
  | 'no-headroom'
  /** Nothing of this service to drain from a container instance (daemon, Fargate, inactive, desired 0). */
  | 'not-applicable';

export interface ServiceHeadroom {
  readonly service: string;
  readonly verdict: HeadroomVerdict;
  /** One sentence with the numbers: what ECS may do, or why it may do nothing. */
  readonly reason: string;
  readonly desiredCount: number;
  /** Effective values (the service's, else ECS's defaults). */
  readonly minimumHealthyPercent: number;
  readonly maximumPercent: number;
  /** ceil(desired × minimumHealthyPercent / 100): tasks ECS keeps RUNNING while draining. */
  readonly minimumHealthyTasks: number;
  /** floor(desired × maximumPercent / 100): tasks ECS allows RUNNING or PENDING while draining. */
  readonly maximumTasks: number;
  /** For `no-headroom`: the smallest change that gives ECS room for one task, and the command to make it. */
  readonly fix?: HeadroomFix;
}

export interface HeadroomFix {
  /** Smallest maximumPercent with floor(desired × max / 100) > desired. */
  readonly maximumPercentAtLeast: number;
  /** Largest minimumHealthyPercent with ceil(desired × min / 100) < desired. */
  readonly minimumHealthyPercentAtMost: number;
  readonly text: string;
}

/** Replica service: one task above desired, or one below, is enough for ECS to move tasks off a DRAINING instance. */
export function serviceHeadroom(shape: ServiceShape): ServiceHeadroom {
  const desired = shape.desiredCount;
  const minimumHealthyPercent = shape.minimumHealthyPercent ?? DEFAULT_MINIMUM_HEALTHY_PERCENT;
  const maximumPercent = shape.maximumPercent ?? DEFAULT_MAXIMUM_PERCENT;
  const minimumHealthyTasks = Math.ceil((desired * minimumHealthyPercent) / 100);
  const maximumTasks = Math.floor((desired * maximumPercent) / 100);
  const numbers = { service: shape.name, desiredCount: desired, minimumHealthyPercent, maximumPercent };
  const counts = { minimumHealthyTasks, maximumTasks };
  const verdict = (kind: HeadroomVerdict, reason: string, fix?: HeadroomFix): ServiceHeadroom => ({
    ...numbers,
    ...counts,
    verdict: kind,
    reason,
    ...(fix === undefined ? {} : { fix }),
  });

  const notApplicable = notOnContainerInstances(shape);
  if (notApplicable !== undefined) return verdict('not-applicable', notApplicable);
  const shapeText = describeShape(shape.name, desired, minimumHealthyPercent, maximumPercent);
  if (maximumTasks > desired) {
    return verdict('drainable', `${shapeText}: ECS may start ${maximumTasks - desired} replacement(s) first`);
  }
  if (minimumHealthyTasks < desired) {
    return verdict('drainable', `${shapeText}: ECS may stop ${desired - minimumHealthyTasks} task(s) first`);
  }
  const reason =
    `${shapeText}: ECS may neither start a task above ${maximumTasks} (maximum) nor stop one below ` +
    `${minimumHealthyTasks} (minimum healthy), so no instance running one of its tasks can be drained`;
  return verdict('no-headroom', reason, headroomFix(shape, desired));
}

/** Every service in `shapes` whose tasks block a drain forever, by name. */
export function servicesWithoutHeadroom(shapes: readonly ServiceShape[]): ServiceHeadroom[] {
  return shapes
    .map(serviceHeadroom)
    .filter((headroom) => headroom.verdict === 'no-headroom')
    .sort((a, b) => a.service.localeCompare(b.service));
}

/** Why a service has nothing to drain from a container instance; undefined when it has. */
function notOnContainerInstances(shape: ServiceShape): string | undefined {
  const status = shape.status ?? 'ACTIVE';
  if (status !== 'ACTIVE') return `service ${shape.name} is ${status}: ECS places none of its tasks`;
  if ((shape.schedulingStrategy ?? 'REPLICA') === 'DAEMON') {
    return `service ${shape.name} is a daemon service: ECS stops its task last and does not replace it elsewhere`;
  }
  if (shape.launchType === 'FARGATE' || shape.launchType === 'EXTERNAL') {
    return `service ${shape.name} runs on ${shape.launchType}, not on the cluster's EC2 container instances`;
  }
  const providers = shape.capacityProviders ?? [];
  if (providers.length > 0 && providers.every((provider) => provider.startsWith('FARGATE'))) {
    return `service ${shape.name} runs on ${providers.join(', ')}, not on the cluster's EC2 container instances`;
  }
  if (shape.desiredCount <= 0) return `service ${shape.name} wants no task (desired 0)`;
  return undefined;
}

function describeShape(name: string, desired: number, min: number, max: number): string {
  return `service ${name} (desired ${desired}, minimumHealthyPercent ${min}, maximumPercent ${max})`;
}

function headroomFix(shape: ServiceShape, desired: number): HeadroomFix {
  // floor(desired × max / 100) ≥ desired + 1  ⇔  max ≥ ceil(100 × (desired + 1) / desired)
  const maximumPercentAtLeast = Math.ceil((100 * (desired + 1)) / desired);
  // ceil(desired × min / 100) ≤ desired − 1  ⇔  min ≤ floor(100 × (desired − 1) / desired)
  const minimumHealthyPercentAtMost = Math.floor((100 * (desired - 1)) / desired);
  const controller = shape.deploymentController ?? 'ECS';
  const how =
    controller === 'ECS'
      ? 'aws ecs update-service --deployment-configuration'
      : `aws ecs update-service (${controller} controller) --deployment-configuration`;
  const text =
    `give ECS room for one task: maximumPercent ≥ ${maximumPercentAtLeast} ` +
    `(\`${how} maximumPercent=${maximumPercentAtLeast}\`), or minimumHealthyPercent ≤ ` +
    `${minimumHealthyPercentAtMost} if a brief dip below desired is acceptable, or run more than ${desired} task(s)`;
  return { maximumPercentAtLeast, minimumHealthyPercentAtMost, text };
}

/**
 * The fields of an ECS `Service` (DescribeServices) the predicate reads; the SDK's type is assignable to it, and this
 * module stays free of SDK imports so the operator CLI and the simulator can use it too.
 */
export interface DescribedService {
  readonly serviceName?: string;
  readonly status?: string;
  readonly schedulingStrategy?: string;
  readonly launchType?: string;
  readonly desiredCount?: number;
  readonly deploymentController?: { readonly type?: string };
  readonly deploymentConfiguration?: { readonly minimumHealthyPercent?: number; readonly maximumPercent?: number };
  readonly capacityProviderStrategy?: readonly { readonly capacityProvider?: string }[];
}

export function serviceShapeOf(service: DescribedService): ServiceShape {
  return {
    name: service.serviceName ?? '(unnamed)',
    status: service.status,
    schedulingStrategy: service.schedulingStrategy,
    deploymentController: service.deploymentController?.type,
    launchType: service.launchType,
    capacityProviders: (service.capacityProviderStrategy ?? [])
      .map((item) => item.capacityProvider)
      .filter((name): name is string => name !== undefined),
    desiredCount: service.desiredCount ?? 0,
    minimumHealthyPercent: service.deploymentConfiguration?.minimumHealthyPercent,
    maximumPercent: service.deploymentConfiguration?.maximumPercent,
  };
}
