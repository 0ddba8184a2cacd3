/**
 * The policy suite: one test per scanner rule over the synthesized JSON of the default stack and of the representative
 * configurations in support/scenarios.ts. The rules live in rules/*.ts and are registered here so that every scenario
 * is synthesized once for all of them (synth dominates the suite's run time).
 */
import { registerFunctionRules } from './rules/functions';
import { registerIamRules } from './rules/iam';
import { registerInstanceRules } from './rules/instances';

registerInstanceRules();
registerFunctionRules();
registerIamRules();
