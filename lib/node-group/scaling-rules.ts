/** Instance refresh and capacity provider rules of a node group (see node-group-rules.ts). */
import * as L from '../aws-limits';
import { hclIntRange, inIntRange, intRangeReason, offense } from '../rules';
import { eachRule, intRule, NodeGroupRule, pairRule, text } from './rule-builders';

export function refreshRules(): NodeGroupRule[] {
  const r = 'instance_refresh';
  return [
    intRule(`${r}.min_healthy_percentage`, 0, 100, 'use 0–100 (100 keeps full capacity)', {
      example: { instanceRefresh: { minHealthyPercentage: 101 } },
    }),
    intRule(`${r}.max_healthy_percentage`, 100, 200, 'use 100–200 (200 launches replacements before terminating)', {
      example: { instanceRefresh: { maxHealthyPercentage: 250 } },
    }),
    pairRule(
      `${r}.max_healthy_percentage`,
      `g.${r}.max_healthy_percentage - g.${r}.min_healthy_percentage <= 100`,
      (g) => g.instanceRefresh.maxHealthyPercentage - g.instanceRefresh.minHealthyPercentage <= 100,
      [`${r}.max_healthy_percentage`, `${r}.min_healthy_percentage`],
      'must be at most 100 above {instance_refresh.min_healthy_percentage}, as AWS requires',
      'narrow the range',
      { instanceRefresh: { minHealthyPercentage: 50, maxHealthyPercentage: 160 } },
    ),
    pairRule(
      `${r}.max_healthy_percentage`,
      `!(g.${r}.min_healthy_percentage == 100 && g.${r}.max_healthy_percentage == 100)`,
      (g) => !(g.instanceRefresh.minHealthyPercentage === 100 && g.instanceRefresh.maxHealthyPercentage === 100),
      [`${r}.max_healthy_percentage`, `${r}.min_healthy_percentage`],
      'with {instance_refresh.min_healthy_percentage} 100 the refresh could never replace an instance',
      'raise {instance_refresh.max_healthy_percentage} above 100 (default 200)',
      { instanceRefresh: { minHealthyPercentage: 100, maxHealthyPercentage: 100 } },
    ),
    intRule(`${r}.instance_warmup`, 0, undefined, 'use 0 or more', {
      example: { instanceRefresh: { instanceWarmupSeconds: -1 } },
    }),
    intRule(`${r}.checkpoint_delay`, 0, L.CHECKPOINT_DELAY_MAX_SECONDS, 'use at most 172800 s (2 days)', {
      why: "AWS's limit",
      example: { instanceRefresh: { checkpointDelaySeconds: 172801 } },
    }),
    eachRule(
      `${r}.checkpoint_percentages`,
      (c) => hclIntRange(c, 1, 100),
      (c: number) => inIntRange(c, 1, 100),
      intRangeReason(1, 100),
      'use whole percentages from 1 to 100',
      { instanceRefresh: { checkpointPercentages: [0, 100] } },
    ),
    {
      attribute: `${r}.checkpoint_percentages`,
      hcl: text(
        `alltrue([for i, c in g.${r}.checkpoint_percentages : ` +
          `i == 0 ? true : c > g.${r}.checkpoint_percentages[i - 1]])`,
      ),
      reason: text('must be strictly ascending'),
      fix: text('sort the percentages and remove duplicates, e.g. [10, 50, 100]'),
      check: (g) =>
        offense(g.instanceRefresh.checkpointPercentages, (c: number[]) => c.every((v, i) => i === 0 || v > c[i - 1])),
      example: { instanceRefresh: { checkpointPercentages: [50, 10, 100] } },
    },
    {
      attribute: `${r}.checkpoint_percentages`,
      hcl: text(
        `length(g.${r}.checkpoint_percentages) == 0 ? true : ` +
          `g.${r}.checkpoint_percentages[length(g.${r}.checkpoint_percentages) - 1] == 100`,
      ),
      reason: text('must end with 100, or the refresh stops at the last checkpoint'),
      fix: text('append 100'),
      check: (g) =>
        offense(g.instanceRefresh.checkpointPercentages, (c: number[]) => c.length === 0 || c[c.length - 1] === 100),
      example: { instanceRefresh: { checkpointPercentages: [10, 50] } },
    },
    {
      attribute: `${r}.alarm_names`,
      hcl: text(`length(g.${r}.alarm_names) <= ${L.REFRESH_ALARMS_MAX}`),
      reason: text(`an instance refresh takes at most ${L.REFRESH_ALARMS_MAX} alarms`),
      fix: text('combine alarms with a composite alarm'),
      check: (g) => offense(g.instanceRefresh.alarmNames, (a: string[]) => a.length <= L.REFRESH_ALARMS_MAX),
      example: { instanceRefresh: { alarmNames: Array.from({ length: 11 }, (_, i) => `alarm-${i}`) } },
    },
  ];
}

export function capacityProviderRules(): NodeGroupRule[] {
  const c = 'capacity_provider';
  const m = L.MANAGED_SCALING;
  return [
    intRule(
      `${c}.target_capacity`,
      m.targetCapacity.min,
      m.targetCapacity.max,
      'use 1–100 (100 packs instances fully)',
      {
        example: { capacityProvider: { targetCapacityPercent: 0 } },
      },
    ),
    intRule(`${c}.minimum_scaling_step_size`, m.stepSize.min, m.stepSize.max, 'use 1–10000', {
      example: { capacityProvider: { minimumScalingStepSize: 0 } },
    }),
    intRule(`${c}.maximum_scaling_step_size`, m.stepSize.min, m.stepSize.max, 'use 1–10000', {
      example: { capacityProvider: { maximumScalingStepSize: 10001 } },
    }),
    pairRule(
      `${c}.minimum_scaling_step_size`,
      `g.${c}.minimum_scaling_step_size <= g.${c}.maximum_scaling_step_size`,
      (g) => g.capacityProvider.minimumScalingStepSize <= g.capacityProvider.maximumScalingStepSize,
      [`${c}.minimum_scaling_step_size`, `${c}.maximum_scaling_step_size`],
      'must not exceed {capacity_provider.maximum_scaling_step_size}',
      'lower it or raise {capacity_provider.maximum_scaling_step_size}',
      { capacityProvider: { minimumScalingStepSize: 20, maximumScalingStepSize: 10 } },
    ),
    intRule(`${c}.instance_warmup_period`, m.instanceWarmupPeriod.min, m.instanceWarmupPeriod.max, 'use 0–10000 s', {
      example: { capacityProvider: { instanceWarmupPeriodSeconds: 10001 } },
    }),
    intRule(`${c}.weight`, L.STRATEGY.weight.min, L.STRATEGY.weight.max, 'use 0–1000', {
      example: { capacityProvider: { weight: 1001 } },
    }),
    intRule(`${c}.base`, L.STRATEGY.base.min, L.STRATEGY.base.max, 'use 0–100000', {
      example: { capacityProvider: { base: -1 } },
    }),
    pairRule(
      `${c}.managed_termination_protection`,
      `!(g.${c}.managed_termination_protection && !g.${c}.managed_scaling)`,
      (g) => !(g.capacityProvider.managedTerminationProtection && !g.capacityProvider.managedScaling),
      [`${c}.managed_termination_protection`, `${c}.managed_scaling`],
      'requires managed scaling (ECS can only protect instances it scales)',
      'enable {capacity_provider.managed_scaling} or disable {capacity_provider.managed_termination_protection}',
      { capacityProvider: { managedScaling: false, managedTerminationProtection: true } },
    ),
  ];
}
