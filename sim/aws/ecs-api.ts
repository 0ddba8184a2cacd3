/**
 * ECS API operations over the simulated cluster, with the real request limits and response shapes
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/): ListTasks / ListContainerInstances / ListServices
 * pages of at most 100, DescribeTasks and DescribeContainerInstances at most 100 ids, DescribeServices at most 10,
 * UpdateContainerInstancesState at most 10, PutAttributes at most 10 attributes.
 */
import { awsError } from './errors';
import type { EcsCluster } from './ecs';
import type { ContainerInstance, EcsContext, Task } from './ecs-types';
import type { Operation } from './fake-clients';

type Input = Record<string, unknown>;

/** API_PutAttributes.html / AttributeLimitExceededException: custom attributes a resource can carry. */
const CUSTOM_ATTRIBUTES_PER_RESOURCE = 10;

function invalid(message: string): Error {
  return awsError('ECS', 'InvalidParameterException', message);
}

function page<T>(items: T[], input: Input, defaultSize = 100): { items: T[]; nextToken?: string } {
  const size = (input.maxResults as number | undefined) ?? defaultSize;
  if (size < 1 || size > 100) throw invalid('maxResults must be between 1 and 100');
  const start = input.nextToken ? Number(input.nextToken) : 0;
  if (!Number.isInteger(start) || start < 0) throw invalid('Invalid nextToken');
  const slice = items.slice(start, start + size);
  return { items: slice, nextToken: start + size < items.length ? String(start + size) : undefined };
}

/** Cluster query language, the subset used for container instances: `ec2InstanceId == 'i-…'` and `in [...]`. */
function parseFilter(filter: string): (ci: ContainerInstance) => boolean {
  const eq = /^\s*ec2InstanceId\s*==\s*'?([\w-]+)'?\s*$/.exec(filter);
  if (eq) return (ci) => ci.ec2InstanceId === eq[1];
  const list = /^\s*ec2InstanceId\s+in\s*\[(.*)\]\s*$/.exec(filter);
  if (list) {
    const ids = new Set(list[1].split(',').map((id) => id.trim().replace(/^'|'$/g, '')));
    return (ci) => ids.has(ci.ec2InstanceId);
  }
  throw new Error(`[sim] cluster query "${filter}" is not simulated`);
}

/** The ECS API over a cluster: the ECS context plus the cluster, and the metric of StopTask on replica tasks. */
export interface EcsApiContext extends EcsContext {
  readonly ecs: EcsCluster;
  readonly metrics: EcsContext['metrics'] & { stopTaskCalled(task: Task, ecs: EcsCluster): void };
}

export function ecsOperations(world: EcsApiContext): Record<string, Operation> {
  const ecs = world.ecs;
  const checkCluster = (input: Input): void => {
    const cluster = input.cluster as string | undefined;
    if (cluster !== world.clusterName && cluster !== world.clusterArn) {
      throw awsError('ECS', 'ClusterNotFoundException', 'Cluster not found.');
    }
  };
  const instanceRef = (ref: string): ContainerInstance | undefined =>
    ecs.instances.get(ref) ?? [...ecs.instances.values()].find((ci) => ci.arn.endsWith(`/${ref}`));
  const taskRef = (ref: string): Task | undefined =>
    ecs.tasks.get(ref) ?? [...ecs.tasks.values()].find((t) => t.arn.endsWith(`/${ref}`));
  const iso = (at: number | undefined): Date | undefined => (at === undefined ? undefined : world.sim.date(at));

  const describeInstance = (ci: ContainerInstance, withHealth: boolean): Record<string, unknown> => {
    const { running, pending } = ecs.counts(ci);
    const { registered, remaining } = ecs.resources(ci);
    return {
      containerInstanceArn: ci.arn,
      ec2InstanceId: ci.ec2InstanceId,
      status: ci.status,
      statusReason: ci.statusReason,
      agentConnected: ci.agentConnected,
      runningTasksCount: running,
      pendingTasksCount: pending,
      registeredResources: registered,
      remainingResources: remaining,
      registeredAt: iso(ci.registeredAt),
      version: ci.version,
      versionInfo: { agentVersion: '1.89.1', agentHash: 'sim', dockerVersion: 'DockerVersion: 25.0.8' },
      attributes: [
        { name: 'ecs.ami-id', value: world.ec2.instances.get(ci.ec2InstanceId)?.imageId },
        ...[...ci.attributes].map(([name, value]) => ({ name, value })),
      ],
      ...(withHealth ? { healthStatus: { overallStatus: 'OK', details: [] } } : {}),
    };
  };

  const describeTask = (task: Task): Record<string, unknown> => ({
    taskArn: task.arn,
    clusterArn: world.clusterArn,
    taskDefinitionArn: task.taskDefinitionArn,
    containerInstanceArn: task.ci.arn,
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    group: task.group,
    startedBy: task.startedBy,
    launchType: 'EC2',
    createdAt: iso(task.createdAt),
    startedAt: iso(task.startedAt),
    stoppingAt: iso(task.stoppingAt),
    stoppedAt: iso(task.stoppedAt),
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    version: task.version,
    healthStatus: task.healthy ? 'HEALTHY' : 'UNKNOWN',
    containers: [{ name: 'app', lastStatus: task.lastStatus, taskArn: task.arn }],
  });

  return {
    ListContainerInstances: (input) => {
      checkCluster(input);
      const byFilter = typeof input.filter === 'string' ? parseFilter(input.filter) : () => true;
      const status = input.status as string | undefined;
      const all = [...ecs.instances.values()].filter(
        (ci) => (status ? ci.status === status : ci.status !== 'INACTIVE') && byFilter(ci),
      );
      const { items, nextToken } = page(all, input);
      return { containerInstanceArns: items.map((ci) => ci.arn), nextToken };
    },
    DescribeContainerInstances: (input) => {
      checkCluster(input);
      const refs = (input.containerInstances as string[] | undefined) ?? [];
      if (refs.length === 0 || refs.length > 100) throw invalid('containerInstances must contain 1 to 100 items');
      const withHealth = ((input.include as string[] | undefined) ?? []).includes('CONTAINER_INSTANCE_HEALTH');
      const found: Record<string, unknown>[] = [];
      const failures: Record<string, unknown>[] = [];
      for (const ref of refs) {
        const ci = instanceRef(ref);
        if (ci) found.push(describeInstance(ci, withHealth));
        else failures.push({ arn: ref, reason: 'MISSING' });
      }
      return { containerInstances: found, failures };
    },
    UpdateContainerInstancesState: (input) => {
      checkCluster(input);
      const refs = (input.containerInstances as string[] | undefined) ?? [];
      if (refs.length === 0 || refs.length > 10) throw invalid('containerInstances must contain 1 to 10 items');
      const status = input.status as string;
      if (status !== 'ACTIVE' && status !== 'DRAINING')
        throw invalid(`Container instance status ${status} is not valid`);
      const updated: Record<string, unknown>[] = [];
      const failures: Record<string, unknown>[] = [];
      for (const ref of refs) {
        const ci = instanceRef(ref);
        if (!ci) failures.push({ arn: ref, reason: 'MISSING' });
        else if (ci.status !== 'ACTIVE' && ci.status !== 'DRAINING') {
          failures.push({ arn: ref, reason: 'INVALID_STATUS', detail: `Container instance is ${ci.status}` });
        } else {
          ecs.setStatus(ci, status);
          updated.push(describeInstance(ci, false));
        }
      }
      return { containerInstances: updated, failures };
    },
    ListTasks: (input) => {
      checkCluster(input);
      const desired = (input.desiredStatus as string | undefined) ?? 'RUNNING';
      const ciRef = input.containerInstance as string | undefined;
      const ci = ciRef ? instanceRef(ciRef) : undefined;
      if (ciRef && !ci) throw invalid('The referenced container instance was not found.');
      const source = ci ? [...ci.tasks] : [...ecs.tasks.values()];
      const filtered = source.filter(
        (task) =>
          task.desiredStatus === desired &&
          (input.serviceName === undefined || task.service?.name === input.serviceName) &&
          (input.family === undefined || task.group === `family:${String(input.family)}`) &&
          (input.startedBy === undefined || task.startedBy === input.startedBy),
      );
      const { items, nextToken } = page(filtered, input);
      return { taskArns: items.map((task) => task.arn), nextToken };
    },
    DescribeTasks: (input) => {
      checkCluster(input);
      const refs = (input.tasks as string[] | undefined) ?? [];
      if (refs.length === 0 || refs.length > 100)
        throw invalid('Tasks cannot be empty and must contain at most 100 items.');
      const tasks: Record<string, unknown>[] = [];
      const failures: Record<string, unknown>[] = [];
      for (const ref of refs) {
        const task = taskRef(ref);
        if (task) tasks.push(describeTask(task));
        else failures.push({ arn: ref, reason: 'MISSING' });
      }
      return { tasks, failures };
    },
    StopTask: (input) => {
      checkCluster(input);
      const task = taskRef(String(input.task));
      if (!task) throw invalid('The referenced task was not found.');
      world.metrics.stopTaskCalled(task, ecs);
      ecs.stopTask(task, 'UserInitiated', String(input.reason ?? 'Task stopped by user'));
      return { task: describeTask(task) };
    },
    ListServices: (input) => {
      checkCluster(input);
      const { items, nextToken } = page([...ecs.services.values()], input, 10);
      return { serviceArns: items.map((s) => s.arn), nextToken };
    },
    DescribeServices: (input) => {
      checkCluster(input);
      const refs = (input.services as string[] | undefined) ?? [];
      if (refs.length === 0 || refs.length > 10) throw invalid('services must contain 1 to 10 items');
      const services: Record<string, unknown>[] = [];
      const failures: Record<string, unknown>[] = [];
      for (const ref of refs) {
        const service = ecs.services.get(ref) ?? [...ecs.services.values()].find((s) => s.arn === ref);
        if (!service) {
          failures.push({ arn: ref, reason: 'MISSING' });
          continue;
        }
        const { running, pending, desired } = ecs.serviceCounts(service);
        const deployment = {
          id: service.deploymentId,
          status: 'PRIMARY',
          desiredCount: desired,
          runningCount: running,
          pendingCount: pending,
          rolloutState: 'COMPLETED',
          createdAt: iso(service.createdAt),
        };
        // CODE_DEPLOY and EXTERNAL services report their task sets and no deployments (API_Service.html,
        // API_TaskSet.html); one PRIMARY task set here. API_TaskSet.html: STEADY_STATE needs runningCount =
        // computedDesiredCount, pendingCount 0, all tasks healthy, and no task running on a DRAINING container
        // instance.
        const onDraining = [...service.tasks].some(
          (task) => task.desiredStatus === 'RUNNING' && task.lastStatus !== 'STOPPED' && task.ci.status === 'DRAINING',
        );
        const taskSet = {
          id: `ecs-svc/${service.deploymentId.slice(8)}`,
          status: 'PRIMARY',
          computedDesiredCount: desired,
          runningCount: running,
          pendingCount: pending,
          stabilityStatus: ecs.isStable(service) && !onDraining ? 'STEADY_STATE' : 'STABILIZING',
          launchType: 'EC2',
        };
        const ecsController = service.controller === 'ECS';
        services.push({
          serviceArn: service.arn,
          serviceName: service.name,
          clusterArn: world.clusterArn,
          status: 'ACTIVE',
          desiredCount: desired,
          runningCount: running,
          pendingCount: pending,
          launchType: 'EC2',
          schedulingStrategy: service.strategy,
          deploymentConfiguration: {
            minimumHealthyPercent: service.minimumHealthyPercent,
            maximumPercent: service.maximumPercent,
          },
          deploymentController: { type: service.controller },
          deployments: ecsController ? [deployment] : [],
          ...(ecsController ? {} : { taskSets: [taskSet] }),
          events: service.events
            .slice(0, 10)
            .map((e) => ({ id: e.id, createdAt: iso(e.createdAt), message: e.message })),
        });
      }
      return { services, failures };
    },
    PutAttributes: (input) => {
      checkCluster(input);
      const attributes = (input.attributes as Record<string, unknown>[] | undefined) ?? [];
      if (attributes.length === 0 || attributes.length > 10) throw invalid('attributes must contain 1 to 10 items');
      // Validated first, applied all together (API_PutAttributes.html): values up to 128 characters of the allowed
      // set; "You can apply up to 10 custom attributes for each resource" (AttributeLimitExceededException).
      const added = new Map<ContainerInstance, Set<string>>();
      for (const attribute of attributes) {
        const ci = instanceRef(String(attribute.targetId));
        if (!ci) throw awsError('ECS', 'TargetNotFoundException', `Could not find ${String(attribute.targetId)}`);
        const value = attribute.value as string | undefined;
        if (value !== undefined && !/^[a-zA-Z0-9_.@/\\: -]{1,128}$/.test(value))
          throw invalid(`Invalid attribute value ${value}`);
        const names = added.get(ci) ?? new Set<string>();
        if (!ci.attributes.has(String(attribute.name))) names.add(String(attribute.name));
        added.set(ci, names);
        if (ci.attributes.size + names.size > CUSTOM_ATTRIBUTES_PER_RESOURCE) {
          throw awsError(
            'ECS',
            'AttributeLimitExceededException',
            'You can apply up to 10 custom attributes for each resource.',
          );
        }
      }
      for (const attribute of attributes) {
        instanceRef(String(attribute.targetId))?.attributes.set(
          String(attribute.name),
          (attribute.value as string | undefined) ?? '',
        );
      }
      return { attributes };
    },
    ListAttributes: (input) => {
      checkCluster(input);
      const all: Record<string, unknown>[] = [];
      for (const ci of ecs.instances.values()) {
        for (const [name, value] of ci.attributes) {
          if (input.attributeName !== undefined && name !== input.attributeName) continue;
          if (input.attributeValue !== undefined && value !== input.attributeValue) continue;
          all.push({ name, value, targetType: 'container-instance', targetId: ci.arn });
        }
      }
      const { items, nextToken } = page(all, input);
      return { attributes: items, nextToken };
    },
    DeleteAttributes: (input) => {
      checkCluster(input);
      for (const attribute of (input.attributes as Record<string, unknown>[] | undefined) ?? []) {
        instanceRef(String(attribute.targetId))?.attributes.delete(String(attribute.name));
      }
      return { attributes: input.attributes };
    },
  };
}
