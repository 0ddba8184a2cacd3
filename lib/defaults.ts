/**
 * Every default of the library, defined once. Props documentation (`@default`) refers to these values; tests and the
 * Terraform module variables read them from here so that code, docs and module never drift apart.
 */
export const DEFAULTS = {
  cluster: {
    containerInsights: 'enabled' as 'enabled' | 'disabled' | 'enhanced',
  },
  nodeGroup: {
    /** The AMI watcher owns the AMI; see lib/ami/ami-ownership.ts. */
    amiMode: 'auto' as 'auto' | 'gitops',
    instanceTypes: ['m7i.large'],
    arm64InstanceTypes: ['m7g.large'],
    minSize: 1,
    maxSize: 10,
    desiredCapacity: 2,
    rootVolumeSizeGiB: 30,
    rootVolumeType: 'gp3',
    /**
     * 1: only the host (ECS agent, host-network tasks) reaches IMDS. Containers in bridge/awsvpc mode should use task
     * roles, and a hop limit of 1 stops them from reading the instance role's credentials (CKV_AWS_341).
     */
    httpPutResponseHopLimit: 1,
    detailedMonitoring: true,
    associatePublicIpAddress: false,
    containerStopTimeoutSeconds: 30,
    healthCheckGracePeriodSeconds: 0,
    /** A new instance is warm when the launch gate lets it go InService: the gate already waited for the agent. */
    instanceWarmupSeconds: 60,
    defaultInstanceWarmupSeconds: 60,
    minHealthyPercentage: 100,
    maxHealthyPercentage: 200,
    checkpointPercentages: [] as number[],
    checkpointDelaySeconds: 3600,
    /** Above the gate's join deadline (600 s), so the gate, not the hook timeout, decides about a slow joiner. */
    launchHeartbeatTimeoutSeconds: 900,
    launchDefaultResult: 'ABANDON' as const,
    /**
     * Equal to the gate's maximum drain time (3600 s): even when throttling delays every heartbeat, the hook's default
     * result (CONTINUE = terminate) cannot fire before the drain gate decides. The simulator showed 600 s letting
     * hooks expire on undrained hosts at 1,000 instances.
     */
    terminateHeartbeatTimeoutSeconds: 3600,
    terminateDefaultResult: 'CONTINUE' as const,
    terminationPolicies: ['OldestLaunchTemplate', 'OldestInstance'],
    /** Wait for the instances on delete (AWS's ForceDelete off), as the provider does by default. */
    forceDelete: false,
    /**
     * The provider's default delete timeout is 10 minutes (internal/service/autoscaling/group.go); every instance of
     * the group terminates in parallel, but each may run its container stop timeout first, so we leave twice the
     * margin.
     */
    deleteTimeout: '20m',
    enabledMetrics: [
      'GroupMinSize',
      'GroupMaxSize',
      'GroupDesiredCapacity',
      'GroupInServiceInstances',
      'GroupPendingInstances',
      'GroupStandbyInstances',
      'GroupTerminatingInstances',
      'GroupTotalInstances',
    ],
    spotAllocationStrategy: 'price-capacity-optimized',
    onDemandBaseCapacity: 0,
    onDemandPercentageAboveBaseCapacity: 100,
  },
  capacityProvider: {
    targetCapacityPercent: 100,
    managedScaling: true,
    managedTerminationProtection: true,
    minimumScalingStepSize: 1,
    maximumScalingStepSize: 10,
    instanceWarmupPeriodSeconds: 300,
    drainOwner: 'lambda' as const,
    weight: 1,
    base: 0,
  },
} as const;

/** The managed policies every ECS container instance needs: the agent's and Session Manager's (no SSH keys). */
export const INSTANCE_MANAGED_POLICIES = [
  'service-role/AmazonEC2ContainerServiceforEC2Role',
  'AmazonSSMManagedInstanceCore',
] as const;
