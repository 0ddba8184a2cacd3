/**
 * Trigger → the lifecycle actions to evaluate. Lifecycle events name one instance; ECS events name an instance to
 * re-check; the sweep lists every instance of the configured ASGs in the gate's wait state.
 */
import { NodeGroupConfig, findNodeGroupByAsg } from '../shared/config';
import { describeAsgInstances, listInstancesInState } from './adapters/autoscaling';
import { describeContainerInstances } from './adapters/ecs-instances';
import { GateDeps } from './deps';
import { GateKind, GateTrigger } from './events';
import { LAUNCH_WAIT_STATE, TERMINATE_WAIT_STATE } from './types';

export interface GateTarget {
  readonly instanceId: string;
  readonly asgName: string;
  readonly nodeGroup: NodeGroupConfig;
  readonly hookName: string;
  /** undefined when the ASG no longer lists the instance. */
  readonly lifecycleState?: string;
  readonly token?: string;
  readonly eventTime?: Date;
  readonly destination?: string;
  /** Container-instance ARN the trigger named (an ECS event): the runner need not look it up. */
  readonly containerInstanceArn?: string;
}

export interface ResolvedTargets {
  readonly targets: GateTarget[];
  /** Why a re-check found nothing to do (logged at debug level: ECS events are frequent). */
  readonly skipped?: string;
}

export function waitStateOf(gate: GateKind): string {
  return gate === 'launch' ? LAUNCH_WAIT_STATE : TERMINATE_WAIT_STATE;
}

function hookOf(group: NodeGroupConfig, gate: GateKind): string {
  return gate === 'launch' ? group.launchHookName : group.terminateHookName;
}

export async function resolveTargets(trigger: GateTrigger, deps: GateDeps, gate: GateKind): Promise<ResolvedTargets> {
  const { config } = deps;
  switch (trigger.kind) {
    case 'ignore':
      return { targets: [], skipped: trigger.reason };
    case 'sweep': {
      const waiting = await listInstancesInState(
        deps.autoScaling,
        config.nodeGroups.map((group) => group.asgName),
        waitStateOf(gate),
      );
      const targets = waiting.flatMap((instance) => {
        const group = findNodeGroupByAsg(config, instance.asgName);
        return group ? [{ ...instance, nodeGroup: group, hookName: hookOf(group, gate) }] : [];
      });
      return { targets };
    }
    case 'lifecycle': {
      // The event is a hint: act on the state Auto Scaling reports now (duplicates and late events are normal).
      const state = (await describeAsgInstances(deps.autoScaling, [trigger.instanceId])).get(trigger.instanceId);
      const group = findNodeGroupByAsg(config, trigger.asgName) as NodeGroupConfig;
      return {
        targets: [
          {
            instanceId: trigger.instanceId,
            asgName: trigger.asgName,
            nodeGroup: group,
            hookName: trigger.hookName,
            lifecycleState: state?.asgName === trigger.asgName ? state.lifecycleState : undefined,
            token: trigger.token,
            eventTime: trigger.eventTime,
            destination: trigger.destination,
          },
        ],
      };
    }
    case 'container-instance': {
      const [ci] = await describeContainerInstances(deps.ecs, config.clusterArn, [trigger.containerInstanceArn]);
      if (ci === undefined)
        return { targets: [], skipped: `container instance ${trigger.containerInstanceArn} not found` };
      if (ci.status !== 'DRAINING')
        return { targets: [], skipped: `container instance of ${ci.ec2InstanceId} is ${ci.status}, not DRAINING` };
      return recheckInstance(ci.ec2InstanceId, deps, gate, ci.arn);
    }
    case 'instance':
      return recheckInstance(trigger.instanceId, deps, gate, trigger.containerInstanceArn);
  }
}

async function recheckInstance(
  instanceId: string,
  deps: GateDeps,
  gate: GateKind,
  containerInstanceArn?: string,
): Promise<ResolvedTargets> {
  const state = (await describeAsgInstances(deps.autoScaling, [instanceId])).get(instanceId);
  if (state === undefined) return { targets: [], skipped: `${instanceId} is not in an Auto Scaling group` };
  const group = findNodeGroupByAsg(deps.config, state.asgName);
  if (group === undefined)
    return { targets: [], skipped: `${instanceId} belongs to ASG ${state.asgName}, not managed by this gate` };
  if (state.lifecycleState !== waitStateOf(gate)) {
    return { targets: [], skipped: `${instanceId} is ${state.lifecycleState}, not ${waitStateOf(gate)}` };
  }
  return { targets: [{ ...state, nodeGroup: group, hookName: hookOf(group, gate), containerInstanceArn }] };
}
