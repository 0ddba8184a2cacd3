/**
 * Loads a cluster's rollout status from AWS (injected `{send}` clients): node-group ASGs by tag, their latest instance
 * refresh, approved and newest AMIs, instances by AMI, and — for instances held by a gate — the gate's own verdict.
 */
import type { AutoScalingGroup, InstanceRefresh } from '@aws-sdk/client-auto-scaling';
import { describeEc2Instances } from '../../lambdas/gates/adapters/ec2';
import { findContainerInstances } from '../../lambdas/gates/adapters/ecs-instances';
import { AwsClients } from '../aws/clients';
import {
  describeImage,
  findNodeGroupAsgs,
  latestInstanceRefresh,
  launchTemplateImage,
  launchTemplateOf,
  parameterNames,
  readParameter,
  requireCluster,
} from '../aws/module-resources';
import { DEFAULT_GATE_POLICY, GatePolicyOptions, explainDrainWaits, explainLaunchWait } from './explain';
import { ContainerInstanceView, LAUNCH_WAIT_STATE, TERMINATE_WAIT_STATE } from './gate-surface';
import { publicParameterFor } from './newest-ami';
import {
  DisconnectedAgentView,
  InstanceRefreshView,
  NodeGroupStatus,
  StatusSnapshot,
  WaitingInstanceView,
} from './types';

export interface StatusOptions {
  readonly cluster: string;
  readonly policy?: GatePolicyOptions;
  /** Public parameter announcing the newest AMI. @default derived from the approved AMI (see newest-ami.ts) */
  readonly sourceParameter?: string;
}

export async function collectStatus(clients: AwsClients, options: StatusOptions): Promise<StatusSnapshot> {
  const { cluster } = options;
  const now = clients.now();
  await requireCluster(clients.ecs, cluster);
  const asgs = await findNodeGroupAsgs(clients.autoScaling, cluster);
  const pausedValue = await readParameter(clients.ssm, parameterNames.paused(cluster));
  const disconnected: DisconnectedAgentView[] = [];
  const nodeGroups: NodeGroupStatus[] = [];
  for (const { nodeGroup, group } of asgs) {
    nodeGroups.push(await collectNodeGroup(clients, options, nodeGroup, group, now, disconnected));
  }
  return {
    cluster,
    region: clients.region,
    generatedAt: now.toISOString(),
    // The watcher treats anything but "false" (or a missing parameter) as paused: fail safe. Mirror that here.
    paused: pausedValue !== undefined && pausedValue !== 'false',
    nodeGroups,
    disconnectedAgents: disconnected,
  };
}

async function collectNodeGroup(
  clients: AwsClients,
  options: StatusOptions,
  name: string,
  group: AutoScalingGroup,
  now: Date,
  disconnected: DisconnectedAgentView[],
): Promise<NodeGroupStatus> {
  const asgName = group.AutoScalingGroupName ?? name;
  const warnings: string[] = [];
  const instances = group.Instances ?? [];
  const ids = instances.map((i) => i.InstanceId).filter((id): id is string => !!id);

  const [refresh, templateImage, ec2Views, containerInstances] = await Promise.all([
    latestInstanceRefresh(clients.autoScaling, asgName),
    launchTemplateImage(clients.ec2, group),
    ids.length > 0 ? describeEc2Instances(clients.ec2, ids) : Promise.resolve(new Map()),
    ids.length > 0
      ? findContainerInstances(clients.ecs, options.cluster, ids)
      : Promise.resolve(new Map<string, ContainerInstanceView>()),
  ]);

  // auto: the launch template resolves `resolve:ssm:<approved parameter>`; gitops: it holds the AMI id itself.
  let amiMode: NodeGroupStatus['amiMode'] = 'unknown';
  let approvedAmi: string | undefined;
  let approvedAmiSource: string | undefined;
  if (templateImage?.startsWith('resolve:ssm:')) {
    amiMode = 'auto';
    approvedAmiSource = templateImage.slice('resolve:ssm:'.length);
    approvedAmi = await readParameter(clients.ssm, approvedAmiSource);
    if (approvedAmi === undefined) warnings.push(`approved-AMI parameter ${approvedAmiSource} does not exist`);
  } else if (templateImage) {
    amiMode = 'gitops';
    approvedAmi = templateImage;
    const template = launchTemplateOf(group);
    approvedAmiSource = `launch template ${template?.id ?? template?.name} version ${template?.version}`;
  }

  let newestAmiParameter = options.sourceParameter;
  if (newestAmiParameter === undefined && approvedAmi) {
    const image = await describeImage(clients.ec2, approvedAmi).catch(() => undefined);
    newestAmiParameter = publicParameterFor(image?.name, image?.architecture);
  }
  const newestAmi = newestAmiParameter ? await readParameter(clients.ssm, newestAmiParameter) : undefined;
  if (newestAmiParameter && newestAmi === undefined)
    warnings.push(`public parameter ${newestAmiParameter} not readable`);

  const counts = new Map<string, number>();
  const launchWaits: WaitingInstanceView[] = [];
  const drainWaits: { instanceId: string; lifecycleState: string; ci?: ContainerInstanceView }[] = [];
  const context = { ecs: clients.ecs, cluster: options.cluster, now, policy: options.policy ?? DEFAULT_GATE_POLICY };
  const instanceViews = instances.map((instance) => {
    const instanceId = instance.InstanceId ?? '?';
    const ec2 = ec2Views.get(instanceId);
    const ci = containerInstances.get(instanceId);
    const imageId = ec2?.imageId;
    if (imageId) counts.set(imageId, (counts.get(imageId) ?? 0) + 1);
    const lifecycleState = instance.LifecycleState ?? 'unknown';
    if (lifecycleState === LAUNCH_WAIT_STATE) launchWaits.push(explainLaunchWait(instanceId, ec2, ci, context));
    if (lifecycleState === TERMINATE_WAIT_STATE) drainWaits.push({ instanceId, lifecycleState, ci });
    if (ci && !ci.agentConnected && ci.status !== 'INACTIVE') {
      disconnected.push({ instanceId, nodeGroup: name, containerInstanceStatus: ci.status });
    }
    return {
      instanceId,
      lifecycleState,
      imageId,
      onApprovedAmi: imageId && approvedAmi ? imageId === approvedAmi : undefined,
      containerInstanceStatus: ci?.status,
      agentConnected: ci?.agentConnected,
    };
  });
  const waiting = [...launchWaits, ...(await explainDrainWaits(drainWaits, context))];

  return {
    name,
    asgName,
    amiMode,
    desiredCapacity: group.DesiredCapacity ?? instances.length,
    approvedAmi,
    approvedAmiSource,
    newestAmi,
    newestAmiParameter,
    refresh: refresh ? refreshView(refresh) : undefined,
    amiCounts: [...counts.entries()]
      .map(([imageId, count]) => ({ imageId, count, approved: imageId === approvedAmi }))
      .sort((a, b) => Number(b.approved) - Number(a.approved) || b.count - a.count),
    instances: instanceViews,
    waiting,
    warnings,
  };
}

function refreshView(refresh: InstanceRefresh): InstanceRefreshView {
  const iso = (value: Date | string | undefined) => (value === undefined ? undefined : new Date(value).toISOString());
  return {
    id: refresh.InstanceRefreshId,
    status: refresh.Status ?? 'unknown',
    statusReason: refresh.StatusReason,
    percentageComplete: refresh.PercentageComplete ?? 0,
    instancesToUpdate: refresh.InstancesToUpdate ?? 0,
    startTime: iso(refresh.StartTime),
    endTime: iso(refresh.EndTime),
  };
}
