/**
 * The cluster's default capacity provider strategy, once: its default (the node groups of ONE architecture, so a
 * service without its own strategy never lands an x86 image on Graviton or the reverse) and its rules, checked by the
 * EcsAmiRollout construct and rendered as preconditions by the plain module.
 *
 * AWS: "at least one of the capacity providers must have a weight value greater than zero"; only one provider in a
 * strategy may define a base. CapacityProviderStrategyItem — Amazon ECS API Reference,
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_CapacityProviderStrategyItem.html
 */
import { STRATEGY } from './aws-limits';
import { hclIntRange, inIntRange, intRangeReason } from './rules';
import { isUncheckable } from './validation';

/** One entry of a capacity provider strategy. */
export interface CapacityProviderStrategyItem {
  /** A node group's name, or a provider of `extraCapacityProviders` (e.g. `FARGATE`). */
  readonly capacityProvider: string;
  /**
   * Share of the tasks placed beyond the bases (0–1000).
   * @default 1
   */
  readonly weight?: number;
  /**
   * Tasks placed here first (0–100000; one provider per strategy at most).
   * @default 0
   */
  readonly base?: number;
}

/** The AWS-managed Fargate capacity providers a cluster may list next to its node groups. */
export const FARGATE_CAPACITY_PROVIDERS = ['FARGATE', 'FARGATE_SPOT'] as const;

/** What the default strategy reads of a node group. */
export interface StrategyGroup {
  readonly name: string;
  readonly architecture: string;
  readonly weight: number;
  readonly base: number;
}

/** The architecture of the default strategy: x86_64 when the cluster has an x86_64 node group, else arm64. */
export function primaryArchitecture(groups: readonly StrategyGroup[]): string {
  return groups.some((g) => g.architecture === 'x86_64') ? 'x86_64' : 'arm64';
}

/** The default strategy: every node group of the primary architecture, with its weight and base. */
export function defaultStrategy(groups: readonly StrategyGroup[]): Required<CapacityProviderStrategyItem>[] {
  const arch = primaryArchitecture(groups);
  return groups
    .filter((g) => g.architecture === arch)
    .map((g) => ({ capacityProvider: g.name, weight: g.weight, base: g.base }));
}

/** HCL of the same default, over the node group map `groups` (key → object with architecture and capacity_provider). */
export function defaultStrategyHcl(groups: string): string {
  const arch = `(anytrue([for g in values(${groups}) : g.architecture == "x86_64"]) ? "x86_64" : "arm64")`;
  return (
    `[for k, g in ${groups} : { capacity_provider = k, weight = g.capacity_provider.weight, ` +
    `base = g.capacity_provider.base } if g.architecture == ${arch}]`
  );
}

/** A rule over the effective strategy `s` (a list of { capacity_provider, weight, base }). */
export interface StrategyRule {
  /** HCL condition; `known` is the HCL list of provider names the strategy may name. */
  readonly hcl: (s: string, known: string) => string;
  readonly reason: string;
  readonly fix: string;
  readonly check: (s: readonly Required<CapacityProviderStrategyItem>[], known: readonly string[]) => unknown;
  /** The rule reads only the strategy itself (the module can check a given strategy in its variable's validation). */
  readonly selfContained?: boolean;
}

const known = <T>(values: T[]) => values.filter((v) => !isUncheckable(v));

export const STRATEGY_RULES: readonly StrategyRule[] = [
  {
    hcl: (s, names) => `alltrue([for item in ${s} : contains(${names}, item.capacity_provider)])`,
    reason: 'names a capacity provider that is neither a node group nor one of the extra capacity providers',
    fix: 'name a node group, or add the provider (e.g. "FARGATE") to the extra capacity providers',
    check: (s, names) => s.map((i) => i.capacityProvider).find((p) => !isUncheckable(p) && !names.includes(p)),
  },
  {
    selfContained: true,
    hcl: (s) => `length(${s}) == 0 || anytrue([for item in ${s} : item.weight > 0])`,
    reason: 'has no capacity provider with a weight above 0, so ECS could place no task with it',
    fix: 'give at least one entry (or node group) a weight of 1 or more',
    check: (s) => {
      const weights = s.map((i) => i.weight);
      return weights.length === 0 || weights.some(isUncheckable) || weights.some((w) => w > 0) ? undefined : weights;
    },
  },
  {
    selfContained: true,
    hcl: (s) => `length([for item in ${s} : item if item.base > 0]) <= 1`,
    reason: 'may give a base to one capacity provider only',
    fix: 'set base on one entry (or node group) only',
    check: (s) => {
      const withBase = known(s.map((i) => i.base)).filter((b) => b > 0);
      return withBase.length > 1 ? withBase : undefined;
    },
  },
  {
    selfContained: true,
    hcl: (s) =>
      `alltrue([for item in ${s} : ${hclIntRange('item.weight', STRATEGY.weight.min, STRATEGY.weight.max)} && ` +
      `${hclIntRange('item.base', STRATEGY.base.min, STRATEGY.base.max)}])`,
    reason:
      `weights ${intRangeReason(STRATEGY.weight.min, STRATEGY.weight.max)} and bases ` +
      intRangeReason(STRATEGY.base.min, STRATEGY.base.max),
    fix: 'use weights 0–1000 and bases 0–100000',
    check: (s) =>
      s.find(
        (i) =>
          (!isUncheckable(i.weight) && !inIntRange(i.weight, STRATEGY.weight.min, STRATEGY.weight.max)) ||
          (!isUncheckable(i.base) && !inIntRange(i.base, STRATEGY.base.min, STRATEGY.base.max)),
      ),
  },
];
