/**
 * Canned AWS responses for the CLI, injected through `CliDeps.awsClients` (see fixture-cli.js): the tmux test of
 * `status --watch` drives the real CLI in a real terminal without AWS. Production code has no switch for it.
 *
 * File format:
 * {
 *   "now": "2025-03-01T12:00:00Z",                       // optional frozen clock
 *   "region": "eu-west-1",                               // optional
 *   "responses": [                                       // first match wins
 *     { "command": "DescribeClustersCommand", "input": { "clusters": ["web"] }, "output": { … } },
 *     { "command": "GetParameterCommand", "input": { "Name": "/x" },
 *       "error": { "name": "ParameterNotFound", "message": "…" } }
 *   ]
 * }
 * `input` is matched as a subset of the command's input (omit it to match any input). Commands without a response
 * fail with a `FixtureMissing` error naming the command and its input.
 */
import { readFileSync } from 'node:fs';
import type { AwsClients } from '../../../cli/aws/clients';
import type { SendClient } from '../../../lambdas/shared/aws-client';

export interface FixtureResponse {
  readonly command: string;
  readonly input?: Record<string, unknown>;
  readonly output?: Record<string, unknown>;
  readonly error?: { readonly name: string; readonly message: string };
}

export interface FixtureFile {
  readonly now?: string;
  readonly region?: string;
  readonly responses: readonly FixtureResponse[];
}

/** True when `actual` contains everything in `expected` (arrays compared element by element). */
export function matchesSubset(expected: unknown, actual: unknown): boolean {
  if (expected === null || typeof expected !== 'object') return expected === actual;
  if (actual === null || typeof actual !== 'object') return false;
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      expected.length === actual.length &&
      expected.every((e, i) => matchesSubset(e, actual[i]))
    );
  }
  return Object.entries(expected).every(([key, value]) =>
    matchesSubset(value, (actual as Record<string, unknown>)[key]),
  );
}

/** A `{ send }` client answering from `responses`. */
export function fixtureClient(responses: readonly FixtureResponse[]): SendClient {
  return {
    async send(command: { constructor: { name: string }; input?: unknown }) {
      const name = command.constructor.name;
      const found = responses.find(
        (r) => r.command === name && (r.input === undefined || matchesSubset(r.input, command.input)),
      );
      if (found === undefined) {
        throw Object.assign(new Error(`no fixture response for ${name} ${JSON.stringify(command.input)}`), {
          name: 'FixtureMissing',
        });
      }
      if (found.error) throw Object.assign(new Error(found.error.message), { name: found.error.name });
      return structuredClone(found.output ?? {});
    },
  };
}

export function loadFixtureClients(file: string, region: string | undefined): AwsClients {
  const fixture = JSON.parse(readFileSync(file, 'utf8')) as FixtureFile;
  const client = fixtureClient(fixture.responses);
  const frozen = fixture.now ? new Date(fixture.now) : undefined;
  return {
    ecs: client,
    autoScaling: client,
    ec2: client,
    ssm: client,
    now: () => frozen ?? new Date(),
    region: region ?? fixture.region,
  };
}
