import { BLOG } from './blog';
import { CDK } from './cdk';
import { ECM } from './ecm';
import { NAT } from './ecs-managed-draining';
import type { Strategy, StrategyId } from './types';
import { US } from './ecs-ami-rollout';

export const STRATEGIES: Record<StrategyId, Strategy> = { US, ECM, BLOG, CDK, NAT };
export const STRATEGY_IDS: readonly StrategyId[] = ['US', 'ECM', 'BLOG', 'CDK', 'NAT'];
export type { Strategy, StrategyId } from './types';
