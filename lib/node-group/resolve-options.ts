import { DEFAULTS } from '../defaults';
import { AmiMode } from '../ami/ami-ownership';
import { AmiSource } from '../ami/ami-source';
import { Architecture } from '../ami/ecs-optimized-parameters';
import { Token } from 'cdktf';
import { ExtraVolumeOptions, NodeGroupOptions } from './node-group-props';
import { normalizeUserData } from './node-group-formats';

/** Node group options with every default applied: the one place defaults meet user input. */
export interface ResolvedNodeGroup {
  readonly name: string;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  readonly architecture: Architecture;
  readonly amiSource: AmiSource;
  readonly amiMode: AmiMode;
  readonly instanceTypes: string[];
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  readonly rootVolumeSizeGiB: number;
  readonly rootVolumeIops?: number;
  readonly rootVolumeThroughput?: number;
  readonly rootVolumeKmsKeyId?: string;
  readonly extraVolumes: readonly ExtraVolumeOptions[];
  readonly keyName?: string;
  readonly httpPutResponseHopLimit: number;
  readonly associatePublicIpAddress: boolean;
  readonly detailedMonitoring: boolean;
  readonly containerStopTimeoutSeconds: number;
  readonly userData?: string;
  readonly healthCheckGracePeriodSeconds: number;
  readonly forceDelete: boolean;
  readonly deleteTimeout: string;
  readonly instanceRefresh: {
    readonly minHealthyPercentage: number;
    readonly maxHealthyPercentage: number;
    readonly instanceWarmupSeconds: number;
    readonly checkpointPercentages: number[];
    readonly checkpointDelaySeconds: number;
    readonly alarmNames: string[];
    readonly autoRollback?: boolean;
  };
  readonly launchHook: { readonly heartbeatTimeoutSeconds: number; readonly defaultResult: 'CONTINUE' | 'ABANDON' };
  readonly terminateHook: { readonly heartbeatTimeoutSeconds: number; readonly defaultResult: 'CONTINUE' | 'ABANDON' };
  readonly mixedInstances?: {
    readonly onDemandBaseCapacity: number;
    readonly onDemandPercentageAboveBaseCapacity: number;
    readonly spotAllocationStrategy: string;
  };
  readonly capacityProvider: {
    readonly targetCapacityPercent: number;
    readonly managedScaling: boolean;
    readonly managedTerminationProtection: boolean;
    readonly minimumScalingStepSize: number;
    readonly maximumScalingStepSize: number;
    readonly instanceWarmupPeriodSeconds: number;
    readonly weight: number;
    readonly base: number;
  };
  readonly tags: Record<string, string>;
}

/** Network settings a node group inherits from its cluster when it sets none of its own. */
export interface InheritedNetwork {
  readonly subnetIds?: string[];
  readonly securityGroupIds?: string[];
}

/** Applies defaults (DEFAULTS.nodeGroup / DEFAULTS.capacityProvider) to a node group's options. */
export function resolveNodeGroupOptions(
  options: NodeGroupOptions,
  inherited: InheritedNetwork = {},
): ResolvedNodeGroup {
  const d = DEFAULTS.nodeGroup;
  const cp = DEFAULTS.capacityProvider;
  const architecture = options.architecture ?? 'x86_64';
  const refresh = options.instanceRefresh ?? {};
  const capacity = options.capacityProvider ?? {};
  return {
    name: options.name,
    subnetIds: options.subnetIds ?? inherited.subnetIds ?? [],
    securityGroupIds: options.securityGroupIds ?? inherited.securityGroupIds ?? [],
    architecture,
    amiSource: options.amiSource ?? AmiSource.ecsOptimized(),
    amiMode: options.amiMode ?? d.amiMode,
    instanceTypes: options.instanceTypes ?? [...(architecture === 'arm64' ? d.arm64InstanceTypes : d.instanceTypes)],
    minSize: options.minSize ?? d.minSize,
    maxSize: options.maxSize ?? d.maxSize,
    desiredCapacity: options.desiredCapacity ?? d.desiredCapacity,
    rootVolumeSizeGiB: options.rootVolumeSizeGiB ?? d.rootVolumeSizeGiB,
    rootVolumeIops: options.rootVolumeIops,
    rootVolumeThroughput: options.rootVolumeThroughput,
    rootVolumeKmsKeyId: options.rootVolumeKmsKeyId,
    extraVolumes: options.extraVolumes ?? [],
    keyName: options.keyName,
    httpPutResponseHopLimit: options.httpPutResponseHopLimit ?? d.httpPutResponseHopLimit,
    associatePublicIpAddress: options.associatePublicIpAddress ?? d.associatePublicIpAddress,
    detailedMonitoring: options.detailedMonitoring ?? d.detailedMonitoring,
    containerStopTimeoutSeconds: options.containerStopTimeoutSeconds ?? d.containerStopTimeoutSeconds,
    // Base64 of a script is decoded (an unusable value stays as it is: the user_data rule rejects it).
    userData:
      options.userData === undefined || Token.isUnresolved(options.userData)
        ? options.userData
        : (normalizeUserData(options.userData) ?? options.userData),
    healthCheckGracePeriodSeconds: options.healthCheckGracePeriodSeconds ?? d.healthCheckGracePeriodSeconds,
    forceDelete: options.forceDelete ?? d.forceDelete,
    deleteTimeout: options.deleteTimeout ?? d.deleteTimeout,
    instanceRefresh: {
      minHealthyPercentage: refresh.minHealthyPercentage ?? d.minHealthyPercentage,
      maxHealthyPercentage: refresh.maxHealthyPercentage ?? d.maxHealthyPercentage,
      instanceWarmupSeconds: refresh.instanceWarmupSeconds ?? d.instanceWarmupSeconds,
      checkpointPercentages: refresh.checkpointPercentages ?? [...d.checkpointPercentages],
      checkpointDelaySeconds: refresh.checkpointDelaySeconds ?? d.checkpointDelaySeconds,
      alarmNames: refresh.alarmNames ?? [],
      autoRollback: refresh.autoRollback,
    },
    launchHook: {
      heartbeatTimeoutSeconds: options.launchHook?.heartbeatTimeoutSeconds ?? d.launchHeartbeatTimeoutSeconds,
      defaultResult: options.launchHook?.defaultResult ?? d.launchDefaultResult,
    },
    terminateHook: {
      heartbeatTimeoutSeconds: options.terminateHook?.heartbeatTimeoutSeconds ?? d.terminateHeartbeatTimeoutSeconds,
      defaultResult: options.terminateHook?.defaultResult ?? d.terminateDefaultResult,
    },
    mixedInstances: options.mixedInstances && {
      onDemandBaseCapacity: options.mixedInstances.onDemandBaseCapacity ?? d.onDemandBaseCapacity,
      onDemandPercentageAboveBaseCapacity:
        options.mixedInstances.onDemandPercentageAboveBaseCapacity ?? d.onDemandPercentageAboveBaseCapacity,
      spotAllocationStrategy: options.mixedInstances.spotAllocationStrategy ?? d.spotAllocationStrategy,
    },
    capacityProvider: {
      targetCapacityPercent: capacity.targetCapacityPercent ?? cp.targetCapacityPercent,
      managedScaling: capacity.managedScaling ?? cp.managedScaling,
      managedTerminationProtection: capacity.managedTerminationProtection ?? cp.managedTerminationProtection,
      minimumScalingStepSize: capacity.minimumScalingStepSize ?? cp.minimumScalingStepSize,
      maximumScalingStepSize: capacity.maximumScalingStepSize ?? cp.maximumScalingStepSize,
      instanceWarmupPeriodSeconds: capacity.instanceWarmupPeriodSeconds ?? cp.instanceWarmupPeriodSeconds,
      weight: capacity.weight ?? cp.weight,
      base: capacity.base ?? cp.base,
    },
    tags: options.tags ?? {},
  };
}

/** True when some of the group's capacity can be spot. */
export function usesSpot(group: ResolvedNodeGroup): boolean {
  const mixed = group.mixedInstances;
  return mixed !== undefined && mixed.onDemandPercentageAboveBaseCapacity < 100;
}
