/** A rollout strategy: what it installs in the account (hooks, rules, functions) and how it starts the rollout. */
import type { World } from '../world';

export type StrategyId = 'US' | 'ECM' | 'BLOG' | 'CDK' | 'NAT';

export interface Strategy {
  readonly id: StrategyId;
  readonly description: string;
  /** Hooks, EventBridge rules, Lambda functions. Called after bootstrap, before the rollout starts. */
  install(world: World): void;
  /** Starts replacing the fleet with the new AMI (instance refresh, CloudFormation rolling update, scaling). */
  start(world: World): void;
  /** True once the rollout gave up (refresh failed / rolled back, CloudFormation rollback). */
  failed(world: World): boolean;
}

/** Refresh preferences of every instance-refresh based strategy: the project's defaults (lib/defaults.ts). */
export const REFRESH_PREFERENCES = {
  minHealthyPercentage: 100,
  maxHealthyPercentage: 200,
  instanceWarmupSeconds: 60,
  autoRollback: true,
} as const;
