import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { EcsAmiRollout, EcsAmiRolloutProps } from '../../lib/ecs-ami-rollout';
import type { JsonObject, JsonValue } from './json';

/** Synthesized Terraform JSON of a stack, parsed. */
export interface SynthJson {
  readonly resource?: Record<string, Record<string, JsonObject>>;
  readonly data?: Record<string, Record<string, JsonObject>>;
  readonly [key: string]: JsonValue;
}

/** Minimal valid props; tests override what they examine. */
export const BASE_PROPS: EcsAmiRolloutProps = {
  clusterName: 'prod',
  subnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b'],
  securityGroupIds: ['sg-0000000000000000a'],
  nodeGroups: [{ name: 'x86' }],
};

/** A stack with a provider, for constructs that need one. */
export function newStack(): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  return stack;
}

/** Builds an EcsAmiRollout with `BASE_PROPS` + overrides and returns the stack and its synthesized JSON string. */
export function synthRollout(overrides: Partial<EcsAmiRolloutProps> = {}): {
  synthesized: string;
  json: SynthJson;
  rollout: EcsAmiRollout;
} {
  const stack = newStack();
  const rollout = new EcsAmiRollout(stack, 'rollout', { ...BASE_PROPS, ...overrides });
  const synthesized = Testing.synth(stack);
  return { synthesized, json: JSON.parse(synthesized), rollout };
}

/** The resources of one type, as a list of their configurations. */
export function resourcesOf(json: SynthJson, type: string): JsonObject[] {
  return Object.values(json.resource?.[type] ?? {});
}

/** The data sources of one type. */
export function dataSourcesOf(json: SynthJson, type: string): JsonObject[] {
  return Object.values(json.data?.[type] ?? {});
}

/** The single resource of a type; fails when there is not exactly one. */
export function onlyResource(json: SynthJson, type: string): JsonObject {
  const found = resourcesOf(json, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0];
}
