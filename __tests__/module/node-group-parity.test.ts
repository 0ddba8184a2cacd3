/**
 * The module's node group resources are the NodeGroup construct's, iterated: every literal the module holds equals
 * what the construct synthesizes for a concrete node group, and every attribute the construct sets is set in the
 * module (statically, by expression, or as a dynamic block). Catches a construct change that the module overrides
 * would silently hide.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TerraformStack, Testing } from 'cdktf';
import { NodeGroup } from '../../lib/node-group/node-group';

import type { JsonObject as Json, JsonValue } from '../support/json';
const main = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'terraform-module', 'main.tf.json'), 'utf8'),
) as Json;

function constructResources(): Json {
  const stack = new TerraformStack(Testing.app(), 'parity');
  new NodeGroup(stack, 'group', {
    name: 'x86',
    subnetIds: ['subnet-0000000000000000a'],
    securityGroupIds: ['sg-0000000000000000a'],
    cluster: { clusterName: 'c', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/c' },
    instanceProfileName: 'profile',
  });
  return JSON.parse(Testing.synth(stack)).resource;
}

/** Leaf paths with literal values (no `${`), skipping Terraform meta-arguments and module-only blocks. */
function literals(value: unknown, prefix = ''): [string, unknown][] {
  if (typeof value === 'string') return value.includes('${') ? [] : [[prefix, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => literals(v, `${prefix}[${i}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .filter(([k]) => !['//', 'for_each', 'depends_on', 'dynamic', 'precondition'].includes(k))
      .flatMap(([k, v]) => literals(v, prefix ? `${prefix}.${k}` : k));
  }
  return [[prefix, value]];
}

function at(value: unknown, p: string): unknown {
  return p
    .split(/\.|(?=\[)/)
    .reduce<JsonValue>(
      (v, part) => (v === undefined ? v : part.startsWith('[') ? v[Number(part.slice(1, -1))] : v[part]),
      value,
    );
}

const construct = constructResources();
// [type, module resource, fewest literals expected] — the capacity provider is all expressions.
const pairs = [
  ['aws_launch_template', main.resource.aws_launch_template.node_group, 10],
  ['aws_autoscaling_group', main.resource.aws_autoscaling_group.node_group, 10],
  ['aws_ecs_capacity_provider', main.resource.aws_ecs_capacity_provider.node_group, 0],
] as const;

describe.each(pairs)('%s', (type, moduleResource, fewestLiterals) => {
  const constructResource = Object.values<Json>(construct[type])[0];

  test("every literal in the module equals the construct's value", () => {
    expect(literals(moduleResource).length).toBeGreaterThanOrEqual(fewestLiterals);
    const mismatches = literals(moduleResource).filter(
      ([p, v]) => JSON.stringify(at(constructResource, p)) !== JSON.stringify(v),
    );
    expect(mismatches).toEqual([]);
  });

  test('every attribute the construct sets is set by the module', () => {
    const moduleKeys = new Set([...Object.keys(moduleResource), ...Object.keys(moduleResource.dynamic ?? {})]);
    expect(Object.keys(constructResource).filter((k) => k !== '//' && !moduleKeys.has(k))).toEqual([]);
  });
});
