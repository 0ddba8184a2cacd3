/**
 * Tags on every resource whose schema takes them, judged by the provider itself: `terraform providers schema -json`
 * (hashicorp/aws from the offline mirror) says which resource types have a `tags` argument (or `tag` blocks, the Auto
 * Scaling group); every such block of the plain module and of the constructs' synthesized stack must carry the
 * cluster tag. Tag policies and SCPs that require tags fail at apply otherwise, and cost allocation is wrong.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthRollout } from '../support/synth';
import {
  checkTerraformEnvironment,
  cliConfigText,
  runCommand,
  TERRAFORM_TEST_TIMEOUT_MS,
  terraformEnv,
} from '../support/terraform-harness';

jest.setTimeout(TERRAFORM_TEST_TIMEOUT_MS);

type Block = Record<string, unknown>;
interface Schema {
  readonly attributes?: Record<string, unknown>;
  readonly block_types?: Record<string, unknown>;
}

let schemas: Record<string, { block: Schema }>;

beforeAll(async () => {
  // GIVEN the provider's own schema, read offline from the mirror the harness uses
  const env = await checkTerraformEnvironment();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-ami-rollout-schema-'));
  try {
    const config = { terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } } };
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(config));
    fs.writeFileSync(path.join(dir, 'terraform.tfrc'), cliConfigText(env.provider));
    const childEnv = terraformEnv(path.join(dir, 'terraform.tfrc'), dir, 'us-east-1', 'http://127.0.0.1:9');
    const run = async (args: string[]) => {
      const result = await runCommand(args, dir, childEnv, 120_000);
      if (result.exitCode !== 0) throw new Error(`terraform ${args[0]} failed: ${result.stderr}`);
      return result.stdout;
    };
    await run(['init', '-input=false', '-no-color']);
    const schema = JSON.parse(await run(['providers', 'schema', '-json']));
    schemas = schema.provider_schemas['registry.terraform.io/hashicorp/aws'].resource_schemas;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const takesTags = (type: string) => schemas[type]?.block.attributes?.tags !== undefined;
const takesTagBlocks = (type: string) => schemas[type]?.block.block_types?.tag !== undefined;

function blocksOf(config: { resource?: Record<string, Record<string, Block>> }) {
  return Object.entries(config.resource ?? {}).flatMap(([type, blocks]) =>
    Object.entries(blocks).map(([name, block]) => ({ type, address: `${type}.${name}`, block })),
  );
}

describe('terraform-module/', () => {
  const main = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'terraform-module', 'main.tf.json'), 'utf8'),
  ) as { resource: Record<string, Record<string, Block>> };

  test('every block whose schema takes tags carries the module tags and the cluster tag', () => {
    const taggable = blocksOf(main).filter((b) => takesTags(b.type));
    expect(taggable.length).toBeGreaterThanOrEqual(40);
    const untagged = taggable.filter(
      (b) => !/var\.tags.*"ecs-ami-rollout:cluster" = var\.cluster_name/.test(String(b.block.tags)),
    );
    expect(untagged.map((b) => b.address)).toEqual([]);
  });

  test('the Auto Scaling group (tag blocks) tags itself with the module and node group tags', () => {
    const asgTypes = blocksOf(main).filter((b) => takesTagBlocks(b.type));
    expect(asgTypes.map((b) => b.address)).toEqual(['aws_autoscaling_group.node_group']);
    const dynamic = (asgTypes[0].block.dynamic as Record<string, { for_each: string }>).tag;
    expect(dynamic.for_each).toContain('"ecs-ami-rollout:node-group" = each.key');
  });

  test('resources whose schema takes no tags are the ones AWS cannot tag', () => {
    const untaggable = [...new Set(blocksOf(main).map((b) => b.type))].filter(
      (t) => !takesTags(t) && !takesTagBlocks(t),
    );
    expect(untaggable.sort()).toEqual([
      'aws_autoscaling_lifecycle_hook',
      'aws_cloudwatch_event_target',
      'aws_ecs_cluster_capacity_providers',
      'aws_iam_role_policy',
      'aws_iam_role_policy_attachment',
      'aws_lambda_function_event_invoke_config',
      'aws_lambda_permission',
      'aws_sqs_queue_policy',
    ]);
  });
});

describe('the EcsAmiRollout construct', () => {
  test('every resource whose schema takes tags carries the given tags and the cluster tag', () => {
    // GIVEN a rollout with user tags and the AMI watcher and agent monitor on
    const { json } = synthRollout({ tags: { team: 'platform' } });
    const taggable = blocksOf(json).filter((b) => takesTags(b.type));
    expect(taggable.length).toBeGreaterThanOrEqual(40);
    const missing = taggable.filter((b) => {
      const tags = b.block.tags as Record<string, string> | undefined;
      return tags?.team !== 'platform' || tags['ecs-ami-rollout:cluster'] !== 'prod';
    });
    expect(missing.map((b) => b.address)).toEqual([]);
  });
});
