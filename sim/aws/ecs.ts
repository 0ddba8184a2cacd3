/**
 * Simulated ECS control plane for one cluster: container instances, tasks and services, the task lifecycle and the
 * EventBridge events ECS emits. The service scheduler (placement, draining) lives in ecs-scheduler.ts.
 *
 * Behaviour follows:
 * - Container instance draining — https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html
 *   (no new placements on DRAINING; PENDING service tasks stopped at once; RUNNING service tasks replaced within
 *   minimumHealthyPercent / maximumPercent; standalone tasks are left alone; daemon tasks are stopped last).
 * - Task lifecycle — https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-lifecycle-explanation.html
 *   (RUNNING → DEACTIVATING (load balancer deregistration delay) → STOPPING (SIGTERM, stopTimeout) → STOPPED).
 * - ECS events — https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_cwe_events.html ("ECS Task State
 *   Change" on every status change; "ECS Container Instance State Change" on registration, status, agent
 *   connection and resource changes), delivered to the default event bus. The container-instance event carries what
 *   AWS's documented sample carries (ecs_container_instance_events.html: status, agentConnected, registered and
 *   remaining resources, version…) and no task counts.
 * - Task counts (API_ContainerInstance.html): runningTasksCount counts RUNNING tasks, pendingTasksCount PENDING
 *   tasks; a task that is PROVISIONING, ACTIVATING, DEACTIVATING, STOPPING or DEPROVISIONING is in neither (aws-cdk
 *   #13506), but holds its reserved CPU and memory until it is STOPPED.
 */
import {
  type ContainerInstance,
  type DeploymentControllerType,
  type EcsContext,
  type Service,
  type Task,
  type TaskKind,
} from './ecs-types';
import { EcsScheduler } from './ecs-scheduler';
import { instanceResources, taskCounts, type InstanceResources } from './ecs-instance-view';

/** Task states in which the task's containers exist on the host (a host termination cuts them off). */
const ON_HOST: ReadonlySet<string> = new Set(['RUNNING', 'DEACTIVATING', 'STOPPING']);

export class EcsCluster {
  readonly instances = new Map<string, ContainerInstance>();
  readonly byEc2Id = new Map<string, ContainerInstance>();
  readonly tasks = new Map<string, Task>();
  readonly services = new Map<string, Service>();
  readonly scheduler: EcsScheduler;
  private counter = 0;

  constructor(private readonly world: EcsContext) {
    this.scheduler = new EcsScheduler(world, this);
  }

  private id(): string {
    this.counter++;
    return this.counter.toString(16).padStart(32, '0');
  }

  private arn(kind: string, id: string): string {
    return `arn:aws:ecs:${this.world.region}:${this.world.account}:${kind}/${this.world.clusterName}/${id}`;
  }

  // --- services ----------------------------------------------------------------------------------------------------
  createService(
    name: string,
    strategy: 'REPLICA' | 'DAEMON',
    desiredCount: number,
    minPct = 100,
    maxPct = 200,
    controller: DeploymentControllerType = 'ECS',
  ): Service {
    const service: Service = {
      name,
      arn: `arn:aws:ecs:${this.world.region}:${this.world.account}:service/${this.world.clusterName}/${name}`,
      strategy,
      controller,
      desiredCount,
      minimumHealthyPercent: minPct,
      maximumPercent: maxPct,
      tasks: new Set(),
      deploymentId: `ecs-svc/${(this.counter + 1000).toString().padStart(19, '0')}`,
      createdAt: this.world.sim.now,
      events: [],
      placementBlockedUntil: 0,
      reconcileScheduled: false,
      wasStable: false,
    };
    this.services.set(name, service);
    return service;
  }

  // --- container instances -----------------------------------------------------------------------------------------
  /** The ECS agent registered: ACTIVE with the agent connected (RegisterContainerInstance). */
  register(ec2InstanceId: string): ContainerInstance {
    const ci: ContainerInstance = {
      arn: this.arn('container-instance', this.id()),
      ec2InstanceId,
      status: 'ACTIVE',
      agentConnected: true,
      registeredAt: this.world.sim.now,
      version: 1,
      attributes: new Map(),
      tasks: new Set(),
      countedHealthy: false,
    };
    this.instances.set(ci.arn, ci);
    this.byEc2Id.set(ec2InstanceId, ci);
    this.instanceChanged(ci);
    this.scheduler.placeDaemons(ci);
    this.scheduler.reconcileAll();
    return ci;
  }

  setStatus(ci: ContainerInstance, status: 'ACTIVE' | 'DRAINING'): void {
    if (ci.status === status) return;
    ci.status = status;
    this.instanceChanged(ci);
    if (status === 'DRAINING') this.scheduler.onDraining(ci);
    else this.scheduler.reconcileAll();
  }

  setAgentConnected(ci: ContainerInstance, connected: boolean): void {
    if (ci.agentConnected === connected || ci.status === 'INACTIVE') return;
    ci.agentConnected = connected;
    this.instanceChanged(ci);
    if (connected) {
      // Transitions ECS could not push to the agent while it was away happen now.
      for (const task of ci.tasks) {
        const deferred = task.deferred;
        task.deferred = undefined;
        deferred?.();
      }
      this.scheduler.reconcileAll();
    }
  }

  /** EC2 shut the host down: its containers die with it, and ECS deregisters the container instance. */
  hostTerminated(ec2InstanceId: string): void {
    const ci = this.byEc2Id.get(ec2InstanceId);
    if (!ci || ci.status === 'INACTIVE') return;
    for (const task of [...ci.tasks]) {
      if (task.lastStatus === 'STOPPED') continue;
      const cut = ON_HOST.has(task.lastStatus);
      this.finishStop(task, 'TaskFailedToStart', `Host EC2 (instance ${ec2InstanceId}) terminated.`, cut);
    }
    ci.agentConnected = false;
    ci.status = 'INACTIVE';
    this.instanceChanged(ci);
    this.scheduler.reconcileAll();
  }

  private instanceChanged(ci: ContainerInstance): void {
    ci.version++;
    this.world.metrics.refreshHealthy(ci);
    this.world.bus.publish('ECS Container Instance State Change', 'aws.ecs', [ci.arn], this.instanceDetail(ci));
    this.world.watchers.instanceChanged(ci);
  }

  /** runningTasksCount / pendingTasksCount as ECS reports them (ecs-instance-view.ts). */
  counts(ci: ContainerInstance): { running: number; pending: number } {
    return taskCounts(ci);
  }

  /** registeredResources / remainingResources (ecs-instance-view.ts). */
  resources(ci: ContainerInstance): InstanceResources {
    return instanceResources(ci);
  }

  /** The detail of "ECS Container Instance State Change": the fields of AWS's documented sample. */
  instanceDetail(ci: ContainerInstance): Record<string, unknown> {
    const { registered, remaining } = this.resources(ci);
    return {
      agentConnected: ci.agentConnected,
      attributes: [...ci.attributes.keys()].map((name) => ({ name })),
      clusterArn: this.world.clusterArn,
      containerInstanceArn: ci.arn,
      ec2InstanceId: ci.ec2InstanceId,
      registeredResources: registered,
      remainingResources: remaining,
      status: ci.status,
      version: ci.version,
      versionInfo: { agentVersion: '1.89.1', agentHash: 'sim', dockerVersion: 'DockerVersion: 25.0.8' },
      updatedAt: this.world.sim.date().toISOString(),
    };
  }

  // --- tasks -------------------------------------------------------------------------------------------------------
  /** Places a task; PROVISIONING → PENDING → RUNNING (→ healthy in the target group for replica tasks). */
  startTask(ci: ContainerInstance, kind: TaskKind, service?: Service, family = 'batch', endsAt?: number): Task {
    const id = this.id();
    const task: Task = {
      arn: this.arn('task', id),
      kind,
      service,
      group: service ? `service:${service.name}` : `family:${family}`,
      startedBy: service ? service.deploymentId : undefined,
      taskDefinitionArn:
        `arn:aws:ecs:${this.world.region}:${this.world.account}:task-definition/` + `${service?.name ?? family}:1`,
      ci,
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      healthy: false,
      createdAt: this.world.sim.now,
      version: 1,
      endsAt,
    };
    this.tasks.set(task.arn, task);
    ci.tasks.add(task);
    service?.tasks.add(task);
    this.taskChanged(task);
    const t = this.world.timings;
    const rng = this.world.rng.ecs;
    const startIn = rng.lognormal(t.taskStart.median, t.taskStart.sigma, t.taskStart.min, t.taskStart.max);
    this.world.sim.after(startIn * 0.3, () => this.transition(task, () => this.setTaskStatus(task, 'PENDING')));
    this.world.sim.after(startIn, () =>
      this.transition(task, () => {
        task.startedAt = this.world.sim.now;
        this.setTaskStatus(task, 'RUNNING');
        if (kind !== 'replica') {
          task.healthy = true;
          return;
        }
        const h = t.taskHealthy;
        this.world.sim.after(rng.lognormal(h.median, h.sigma, h.min, h.max), () => {
          if (task.desiredStatus !== 'RUNNING' || task.lastStatus !== 'RUNNING') return;
          task.healthy = true;
          this.serviceChanged(task.service);
        });
      }),
    );
    if (endsAt !== undefined) {
      this.world.sim.at(endsAt, () => {
        if (task.desiredStatus === 'RUNNING')
          this.stopTask(task, 'EssentialContainerExited', 'Essential container in task exited');
      });
    }
    return task;
  }

  /** Runs a transition now, or when the agent reconnects; drops it when the task was stopped meanwhile. */
  private transition(task: Task, change: () => void, evenIfStopping = false): void {
    if (task.lastStatus === 'STOPPED' || (!evenIfStopping && task.desiredStatus === 'STOPPED')) return;
    if (!task.ci.agentConnected) {
      task.deferred = () => this.transition(task, change, evenIfStopping);
      return;
    }
    change();
  }

  private setTaskStatus(task: Task, status: Task['lastStatus']): void {
    task.lastStatus = status;
    this.taskChanged(task);
  }

  /**
   * Graceful stop: DEACTIVATING for the target group deregistration delay (replica tasks behind a load balancer),
   * then STOPPING until the containers exit after SIGTERM (bounded by the stop timeout), then STOPPED.
   */
  stopTask(task: Task, stopCode: string, reason: string): void {
    if (task.desiredStatus === 'STOPPED' || task.lastStatus === 'STOPPED') return;
    task.desiredStatus = 'STOPPED';
    task.stoppingAt = this.world.sim.now;
    task.stopCode = stopCode;
    task.stoppedReason = reason;
    const wasServing = task.lastStatus === 'RUNNING';
    task.healthy = false;
    if (!wasServing) {
      // Not started yet: nothing to drain.
      this.finishStop(task, stopCode, reason, false);
      return;
    }
    const t = this.world.timings;
    const deregistration = task.kind === 'replica' ? t.lbDeregistrationDelaySeconds : 0;
    const exit = Math.min(
      t.containerStopTimeoutSeconds,
      this.world.rng.ecs.lognormal(
        t.containerExit.median,
        t.containerExit.sigma,
        t.containerExit.min,
        t.containerExit.max,
      ),
    );
    this.transition(task, () => this.setTaskStatus(task, deregistration > 0 ? 'DEACTIVATING' : 'STOPPING'), true);
    this.world.sim.after(deregistration, () =>
      this.transition(
        task,
        () => {
          if (task.lastStatus === 'DEACTIVATING') this.setTaskStatus(task, 'STOPPING');
          this.world.sim.after(exit, () =>
            this.transition(task, () => this.finishStop(task, stopCode, reason, false), true),
          );
        },
        true,
      ),
    );
    this.serviceChanged(task.service);
  }

  /** Final STOPPED; `cut` = the containers were killed while serving (host gone): an undrained stop. */
  private finishStop(task: Task, stopCode: string, reason: string, cut: boolean): void {
    if (task.lastStatus === 'STOPPED') return;
    task.desiredStatus = 'STOPPED';
    task.stopCode ??= stopCode;
    task.stoppedReason ??= reason;
    task.stoppingAt ??= this.world.sim.now;
    task.stoppedAt = this.world.sim.now;
    task.healthy = false;
    task.deferred = undefined;
    task.lastStatus = 'STOPPED';
    this.world.metrics.taskStopped(task, cut);
    this.taskChanged(task);
    // ECS keeps stopped tasks describable for about an hour.
    this.world.sim.after(3600, () => {
      this.tasks.delete(task.arn);
      task.ci.tasks.delete(task);
      task.service?.tasks.delete(task);
    });
    this.serviceChanged(task.service);
    this.scheduler.onTaskGone(task);
  }

  private taskChanged(task: Task): void {
    task.version++;
    this.world.bus.publish('ECS Task State Change', 'aws.ecs', [task.arn], this.taskDetail(task));
    this.world.watchers.instanceChanged(task.ci);
    if (task.lastStatus === 'RUNNING' || task.lastStatus === 'STOPPED') this.instanceResourcesChanged(task.ci);
  }

  /** ECS emits a container instance state change when its remaining resources change (task start / stop). */
  private instanceResourcesChanged(ci: ContainerInstance): void {
    ci.version++;
    this.world.bus.publish('ECS Container Instance State Change', 'aws.ecs', [ci.arn], this.instanceDetail(ci));
  }

  serviceChanged(service: Service | undefined): void {
    if (!service) return;
    this.scheduler.requestReconcile(service);
    const stable = this.isStable(service);
    if (stable && !service.wasStable) {
      service.events.unshift({
        id: this.id(),
        createdAt: this.world.sim.now,
        message: `(service ${service.name}) has reached a steady state.`,
      });
      service.events = service.events.slice(0, 100);
    }
    service.wasStable = stable;
    this.world.watchers.serviceChanged(service);
  }

  taskDetail(task: Task): Record<string, unknown> {
    const iso = (at: number | undefined): string | undefined =>
      at === undefined ? undefined : this.world.sim.date(at).toISOString();
    return {
      clusterArn: this.world.clusterArn,
      containerInstanceArn: task.ci.arn,
      taskArn: task.arn,
      taskDefinitionArn: task.taskDefinitionArn,
      group: task.group,
      startedBy: task.startedBy,
      lastStatus: task.lastStatus,
      desiredStatus: task.desiredStatus,
      launchType: 'EC2',
      createdAt: iso(task.createdAt),
      startedAt: iso(task.startedAt),
      stoppingAt: iso(task.stoppingAt),
      stoppedAt: iso(task.stoppedAt),
      stopCode: task.stopCode,
      stoppedReason: task.stoppedReason,
      version: task.version,
      updatedAt: this.world.sim.date().toISOString(),
      containers: [{ name: 'app', lastStatus: task.lastStatus, taskArn: task.arn }],
      cpu: '512',
      memory: '1536',
    };
  }

  /** UpdateService of the deployment configuration (an operator changing a service's headroom). */
  updateDeploymentConfiguration(service: Service, minimumHealthyPercent: number, maximumPercent: number): void {
    service.minimumHealthyPercent = minimumHealthyPercent;
    service.maximumPercent = maximumPercent;
    this.serviceChanged(service);
  }

  // --- services: counts and stability ------------------------------------------------------------------------------
  serviceCounts(service: Service): { running: number; pending: number; desired: number } {
    let running = 0;
    let pending = 0;
    for (const task of service.tasks) {
      if (task.lastStatus === 'RUNNING') running++;
      else if (task.lastStatus === 'PROVISIONING' || task.lastStatus === 'PENDING' || task.lastStatus === 'ACTIVATING')
        pending++;
    }
    const desired = service.strategy === 'DAEMON' ? this.scheduler.daemonDesired() : service.desiredCount;
    return { running, pending, desired };
  }

  isStable(service: Service): boolean {
    const { running, pending, desired } = this.serviceCounts(service);
    if (running !== desired || pending !== 0) return false;
    for (const task of service.tasks) {
      if (task.desiredStatus === 'RUNNING' && task.kind === 'replica' && !task.healthy) return false;
    }
    return true;
  }
}
