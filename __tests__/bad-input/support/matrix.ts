/**
 * The bad-input matrix kit: build something from a bad input, expect it to be rejected before anything is deployed
 * (at construct time, i.e. before synth / plan) with ONE uniform message format:
 *
 *     <Construct>.<prop>: <rendered bad value> is invalid — <reason>. Fix: <fix>.
 */
import { newStack } from '../../support/synth';
import { EcsAmiRollout, EcsAmiRolloutProps } from '../../../lib/ecs-ami-rollout';
import { NodeGroupOptions } from '../../../lib/node-group/node-group-props';
import { ValidationError } from '../../../lib/validation';

export const BASE: EcsAmiRolloutProps = {
  clusterName: 'prod',
  subnetIds: ['subnet-0000000000000000a'],
  securityGroupIds: ['sg-0000000000000000a'],
  nodeGroups: [{ name: 'x86' }],
};

export interface BadInput {
  /** What is wrong, in words (the test name). */
  readonly name: string;
  /** Builds the construct(s) from the bad input; must throw. */
  readonly build: () => unknown;
  /** The qualified setting the message must name, exactly. */
  readonly prop: string;
  /** The bad value as the message renders it (strings quoted, objects as JSON). */
  readonly value: string;
  /** A word or phrase the fix must contain (proves the fix is specific, not boilerplate). */
  readonly fixMentions?: string | RegExp;
}

/** A rollout with BASE props and overrides. */
export function rollout(overrides: Partial<EcsAmiRolloutProps>): () => EcsAmiRollout {
  return () => new EcsAmiRollout(newStack(), 'rollout', { ...BASE, ...overrides });
}

/** A rollout whose only node group ("x86") has these settings. */
export function nodeGroup(options: Partial<NodeGroupOptions>): () => EcsAmiRollout {
  return rollout({ nodeGroups: [{ name: 'x86', ...options }] });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Runs `build` and returns the ValidationError it threw (fails the test if it did not throw one). */
export function rejection(build: () => unknown): ValidationError {
  try {
    build();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw new Error(`expected a ValidationError, got ${(error as Error).name}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  throw new Error('expected the input to be rejected, but it was accepted');
}

/** The uniform message format, anchored: prop, value, reason, "Fix:" and a fix, one line. */
export function formatOf(prop: string, value: string): RegExp {
  return new RegExp(`^${escapeRegExp(prop)}: ${escapeRegExp(value)} is invalid — [^\\n]+\\. Fix: [^\\n]+\\.$`);
}

/** Asserts one matrix row. */
export function expectUniformRejection(row: BadInput): void {
  const error = rejection(row.build);
  expect(error.message).toMatch(formatOf(row.prop, row.value));
  expect(error.prop).toBe(row.prop);
  if (row.fixMentions !== undefined) expect(error.message.split('Fix: ')[1]).toMatch(row.fixMentions);
}
