import { Token } from 'cdktf';
import { checkIntegerRange, checkName, checkNonEmpty, invalid, isUncheckable } from '../validation';
import { ResolvedNodeGroup } from './resolve-options';

const MAX_INT = Number.MAX_SAFE_INTEGER;

/** Graviton families carry a `g` after the generation digit (m7g, c6gn, r8g, t4g, x2gd…), plus a1. */
function isArmInstanceType(instanceType: string): boolean {
  return /^[a-z]+\d+g[a-z]*\./.test(instanceType) || instanceType.startsWith('a1.');
}

/**
 * Validates a resolved node group against the constraints AWS documents for Auto Scaling, EC2 launch templates,
 * lifecycle hooks, instance refresh and ECS capacity providers. Tokens are skipped. `minimumRootVolumeGiB` comes from
 * the AMI source.
 */
export function validateNodeGroup(group: ResolvedNodeGroup, minimumRootVolumeGiB: number): void {
  const p = `NodeGroup[${group.name}]`;
  checkName(
    'NodeGroup.name',
    group.name,
    {
      maxLength: 32,
      pattern: /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
      allowedChars: 'lowercase letters, digits and inner hyphens',
    },
    'use a short name such as "x86" or "arm64-spot" (it becomes part of AWS resource names)',
  );
  checkNonEmpty(
    `${p}.subnetIds`,
    group.subnetIds,
    'pass at least one (private) subnet id, on the node group or the cluster',
  );
  checkNonEmpty(
    `${p}.securityGroupIds`,
    group.securityGroupIds,
    'pass at least one security group id, on the node group or the cluster',
  );
  if (!Token.isUnresolved(group.securityGroupIds) && group.securityGroupIds.length > 5) {
    invalid(
      `${p}.securityGroupIds`,
      group.securityGroupIds,
      'a network interface takes at most 5 security groups by default',
      'merge the rules into fewer groups',
    );
  }
  validateCapacity(p, group);
  validateInstances(p, group, minimumRootVolumeGiB);
  validateRefresh(p, group);
  for (const [hookProp, hook] of [
    ['launchHook', group.launchHook],
    ['terminateHook', group.terminateHook],
  ] as const) {
    checkIntegerRange(
      `${p}.${hookProp}.heartbeatTimeoutSeconds`,
      hook.heartbeatTimeoutSeconds,
      30,
      7200,
      'choose 30–7200 s; the gate records heartbeats, so a few minutes is enough',
      'the lifecycle hook limits',
    );
  }
  validateCapacityProvider(p, group);
}

function validateCapacity(p: string, g: ResolvedNodeGroup): void {
  checkIntegerRange(`${p}.minSize`, g.minSize, 0, MAX_INT, 'use 0 or more');
  checkIntegerRange(`${p}.maxSize`, g.maxSize, 1, MAX_INT, 'use 1 or more');
  checkIntegerRange(`${p}.desiredCapacity`, g.desiredCapacity, 0, MAX_INT, 'use 0 or more');
  const known = [g.minSize, g.maxSize, g.desiredCapacity].every((v) => !isUncheckable(v));
  if (!known) return;
  if (g.minSize > g.maxSize) {
    invalid(`${p}.minSize`, g.minSize, `must not exceed maxSize (${g.maxSize})`, 'lower minSize or raise maxSize');
  }
  if (g.desiredCapacity < g.minSize || g.desiredCapacity > g.maxSize) {
    invalid(
      `${p}.desiredCapacity`,
      g.desiredCapacity,
      `must lie within [minSize, maxSize] = [${g.minSize}, ${g.maxSize}]`,
      'set desiredCapacity between minSize and maxSize',
    );
  }
}

function validateInstances(p: string, g: ResolvedNodeGroup, minimumRootVolumeGiB: number): void {
  checkNonEmpty(`${p}.instanceTypes`, g.instanceTypes, 'pass at least one instance type, e.g. ["m7i.large"]');
  if (!Token.isUnresolved(g.instanceTypes)) {
    if (g.instanceTypes.length > 1 && g.mixedInstances === undefined) {
      invalid(
        `${p}.instanceTypes`,
        g.instanceTypes,
        'several instance types need a mixed instances policy',
        'set mixedInstances (e.g. {}) or pass one instance type',
      );
    }
    if (g.instanceTypes.length > 40) {
      invalid(
        `${p}.instanceTypes`,
        g.instanceTypes.length,
        'a mixed instances policy takes at most 40 instance types',
        'pass fewer instance types',
      );
    }
    for (const type of g.instanceTypes.filter((t) => !Token.isUnresolved(t))) {
      if (isArmInstanceType(type) !== (g.architecture === 'arm64')) {
        invalid(
          `${p}.instanceTypes`,
          type,
          `is not an ${g.architecture} instance type`,
          `pass ${g.architecture} instance types or set architecture ` +
            `to "${g.architecture === 'arm64' ? 'x86_64' : 'arm64'}"`,
        );
      }
    }
  }
  checkIntegerRange(
    `${p}.rootVolumeSizeGiB`,
    g.rootVolumeSizeGiB,
    minimumRootVolumeGiB,
    16384,
    `use at least ${minimumRootVolumeGiB} GiB`,
    `the AMI's root snapshot is ${minimumRootVolumeGiB} GiB and gp3 volumes end at 16384 GiB`,
  );
  checkIntegerRange(
    `${p}.httpPutResponseHopLimit`,
    g.httpPutResponseHopLimit,
    1,
    64,
    'use 1 (host only) or 2 (containers reach IMDS)',
    'the IMDS limits',
  );
  checkIntegerRange(
    `${p}.containerStopTimeoutSeconds`,
    g.containerStopTimeoutSeconds,
    1,
    3600,
    'use a few seconds up to an hour',
    'between SIGTERM and SIGKILL',
  );
  checkIntegerRange(`${p}.healthCheckGracePeriodSeconds`, g.healthCheckGracePeriodSeconds, 0, MAX_INT, 'use 0 or more');
  const mixed = g.mixedInstances;
  if (mixed) {
    checkIntegerRange(
      `${p}.mixedInstances.onDemandBaseCapacity`,
      mixed.onDemandBaseCapacity,
      0,
      MAX_INT,
      'use 0 or more',
    );
    checkIntegerRange(
      `${p}.mixedInstances.onDemandPercentageAboveBaseCapacity`,
      mixed.onDemandPercentageAboveBaseCapacity,
      0,
      100,
      'use 0 (all spot) to 100 (all on-demand)',
    );
  }
}

function validateRefresh(p: string, g: ResolvedNodeGroup): void {
  const r = g.instanceRefresh;
  const q = `${p}.instanceRefresh`;
  checkIntegerRange(`${q}.minHealthyPercentage`, r.minHealthyPercentage, 0, 100, 'use 0–100 (100 keeps full capacity)');
  checkIntegerRange(
    `${q}.maxHealthyPercentage`,
    r.maxHealthyPercentage,
    100,
    200,
    'use 100–200 (200 launches replacements before terminating)',
  );
  if (!isUncheckable(r.minHealthyPercentage) && !isUncheckable(r.maxHealthyPercentage)) {
    if (r.maxHealthyPercentage < r.minHealthyPercentage) {
      invalid(
        `${q}.maxHealthyPercentage`,
        r.maxHealthyPercentage,
        `must not be below minHealthyPercentage (${r.minHealthyPercentage})`,
        'raise maxHealthyPercentage',
      );
    }
    if (r.maxHealthyPercentage - r.minHealthyPercentage > 100) {
      invalid(
        `${q}.maxHealthyPercentage`,
        r.maxHealthyPercentage,
        `must be at most 100 above minHealthyPercentage (${r.minHealthyPercentage}), as AWS requires`,
        'narrow the range',
      );
    }
    if (r.minHealthyPercentage === 100 && r.maxHealthyPercentage === 100) {
      invalid(
        `${q}.maxHealthyPercentage`,
        r.maxHealthyPercentage,
        'with minHealthyPercentage 100 the refresh could never replace an instance',
        'raise maxHealthyPercentage above 100 (default 200)',
      );
    }
  }
  checkIntegerRange(`${q}.instanceWarmupSeconds`, r.instanceWarmupSeconds, 0, MAX_INT, 'use 0 or more');
  checkIntegerRange(
    `${q}.checkpointDelaySeconds`,
    r.checkpointDelaySeconds,
    0,
    172800,
    'use at most 172800 s (2 days)',
    "AWS's limit",
  );
  validateCheckpoints(q, r.checkpointPercentages);
  if (!Token.isUnresolved(r.alarmNames) && r.alarmNames.length > 10) {
    invalid(
      `${q}.alarmNames`,
      r.alarmNames,
      'an instance refresh takes at most 10 alarms',
      'combine alarms with a composite alarm',
    );
  }
}

function validateCheckpoints(q: string, checkpoints: number[]): void {
  if (Token.isUnresolved(checkpoints) || checkpoints.length === 0) return;
  const prop = `${q}.checkpointPercentages`;
  checkpoints.forEach((c) => checkIntegerRange(prop, c, 1, 100, 'use whole percentages from 1 to 100'));
  for (let i = 1; i < checkpoints.length; i++) {
    if (checkpoints[i] <= checkpoints[i - 1]) {
      invalid(
        prop,
        checkpoints,
        'must be strictly ascending',
        'sort the percentages and remove duplicates, e.g. [10, 50, 100]',
      );
    }
  }
  if (checkpoints[checkpoints.length - 1] !== 100) {
    invalid(prop, checkpoints, 'must end with 100, or the refresh stops at the last checkpoint', 'append 100');
  }
}

function validateCapacityProvider(p: string, g: ResolvedNodeGroup): void {
  const c = g.capacityProvider;
  const q = `${p}.capacityProvider`;
  checkIntegerRange(
    `${q}.targetCapacityPercent`,
    c.targetCapacityPercent,
    1,
    100,
    'use 1–100 (100 packs instances fully)',
  );
  checkIntegerRange(`${q}.minimumScalingStepSize`, c.minimumScalingStepSize, 1, 10000, 'use 1–10000');
  checkIntegerRange(`${q}.maximumScalingStepSize`, c.maximumScalingStepSize, 1, 10000, 'use 1–10000');
  if (
    !isUncheckable(c.minimumScalingStepSize) &&
    !isUncheckable(c.maximumScalingStepSize) &&
    c.minimumScalingStepSize > c.maximumScalingStepSize
  ) {
    invalid(
      `${q}.minimumScalingStepSize`,
      c.minimumScalingStepSize,
      `must not exceed maximumScalingStepSize (${c.maximumScalingStepSize})`,
      'lower it or raise maximumScalingStepSize',
    );
  }
  checkIntegerRange(`${q}.instanceWarmupPeriodSeconds`, c.instanceWarmupPeriodSeconds, 0, 10000, 'use 0–10000 s');
  checkIntegerRange(`${q}.weight`, c.weight, 0, 1000, 'use 0–1000');
  checkIntegerRange(`${q}.base`, c.base, 0, 100000, 'use 0–100000');
  if (c.managedTerminationProtection && !c.managedScaling) {
    invalid(
      `${q}.managedTerminationProtection`,
      true,
      'requires managed scaling (ECS can only protect instances it scales)',
      'enable managedScaling or disable managedTerminationProtection',
    );
  }
}
