/**
 * Static checks of the committed module (terraform-module/*.tf.json): Terraform module conventions (no provider, no
 * backend, version constraints, descriptions), the for_each wiring of the node groups, self-contained Lambda archives,
 * and the gate configuration rendered as a `for` expression with the construct's keys.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULTS } from '../../lib/defaults';
import { flattenSchema } from '../../scripts/module/node-group-schema';
import { AWS_PROVIDER_CONSTRAINT } from '../../scripts/module/render';

import type { JsonObject as Json } from '../support/json';
const MODULE = path.join(__dirname, '..', '..', 'terraform-module');
const read = (file: string): Json => JSON.parse(fs.readFileSync(path.join(MODULE, file), 'utf8'));
const files = fs.readdirSync(MODULE).filter((f) => f.endsWith('.tf.json'));
const all: Json = Object.assign({}, ...files.map(read));
const main = read('main.tf.json');

describe('terraform-module conventions', () => {
  test('no provider blocks, no backend, no provider meta-arguments: callers configure both, for_each works', () => {
    expect(files.sort()).toEqual([
      'main.tf.json',
      'moved.tf.json',
      'outputs.tf.json',
      'variables.tf.json',
      'versions.tf.json',
    ]);
    expect(all.provider).toBeUndefined();
    expect(all.terraform.backend).toBeUndefined();
    const text = files.map((f) => fs.readFileSync(path.join(MODULE, f), 'utf8')).join('\n');
    expect(text).not.toMatch(/"provider":/);
    expect(text).not.toMatch(/"backend"/);
  });

  test('required_version and the tested hashicorp/aws range', () => {
    expect(read('versions.tf.json')).toEqual({
      terraform: {
        required_version: '>= 1.5',
        required_providers: { aws: { source: 'hashicorp/aws', version: AWS_PROVIDER_CONSTRAINT } },
      },
    });
    expect(AWS_PROVIDER_CONSTRAINT).toBe('>= 5.100.0, < 7.0.0');
  });

  test('every variable is typed and described; every output is described', () => {
    for (const [name, variable] of Object.entries<Json>(all.variable)) {
      expect([name, typeof variable.type, (variable.description ?? '').length > 10]).toEqual([name, 'string', true]);
    }
    for (const [name, output] of Object.entries<Json>(all.output))
      expect([name, (output.description ?? '').length > 10]).toEqual([name, true]);
  });

  test('node_groups is a map of objects with optional() defaults taken from lib/defaults.ts', () => {
    const type: string = all.variable.node_groups.type;
    expect(type.startsWith('map(object({')).toBe(true);
    for (const attribute of flattenSchema()) expect(type).toContain(`${attribute.name} = optional(${attribute.type}`);
    expect(type).toContain(`max_healthy_percentage = optional(number, ${DEFAULTS.nodeGroup.maxHealthyPercentage})`);
    expect(type).toContain(
      `heartbeat_timeout = optional(number, ${DEFAULTS.nodeGroup.terminateHeartbeatTimeoutSeconds})`,
    );
    expect(all.variable.node_groups.validation.length).toBeGreaterThan(40);
  });

  test('the node group resources iterate over local.node_groups; the AMI parameters over the auto ones', () => {
    const r = main.resource;
    for (const resource of [
      r.aws_launch_template.node_group,
      r.aws_autoscaling_group.node_group,
      r.aws_ecs_capacity_provider.node_group,
    ]) {
      expect(resource.for_each).toBe('${local.node_groups}');
    }
    expect(r.aws_ssm_parameter.approved_ami.for_each).toBe('${local.auto_node_groups}');
    // References between iterated resources point at the same node group's instance.
    expect(r.aws_ecs_capacity_provider.node_group.auto_scaling_group_provider.auto_scaling_group_arn).toBe(
      '${aws_autoscaling_group.node_group[each.key].arn}',
    );
  });

  test('Lambda archives live in the module and are referenced through path.module, with matching hashes', () => {
    for (const [name, fn] of Object.entries<Json>(main.resource.aws_lambda_function)) {
      const asset = `assets/${name.replace(/_/g, '-')}.zip`;
      expect(fn.filename).toBe(`\${path.module}/${asset}`);
      const zip = fs.readFileSync(path.join(MODULE, asset));
      expect(createHash('sha256').update(zip).digest('base64')).toBe(fn.source_code_hash);
    }
  });

  test('GATE_CONFIG lists every node group with a for expression, with the keys the gates parse', () => {
    const config: string = main.resource.aws_lambda_function.launch_gate.environment.variables.GATE_CONFIG;
    expect(config).toContain('"nodeGroups" = [ for key, val in local.node_groups: {');
    for (const key of [
      'clusterName',
      'clusterArn',
      'name',
      'asgName',
      'launchHookName',
      'terminateHookName',
      'launchHeartbeatSeconds',
      'terminateHeartbeatSeconds',
      'joinDeadlineSeconds',
      'maxDrainSeconds',
      'standaloneTaskGraceSeconds',
      'requireHealthyInstance',
    ]) {
      expect(config).toContain(`"${key}" =`);
    }
    expect(config).toContain('"asgName" = "${local.cluster_name}-${key}"');
  });

  test(
    'WATCHER_CONFIG and MONITOR_CONFIG list every node group with a for expression; gitops groups get no approved ' +
      'parameter',
    () => {
      const functions = main.resource.aws_lambda_function;
      const watcher: string = functions.ami_watcher.environment.variables.WATCHER_CONFIG;
      // THEN null attributes (the construct's optional keys) are dropped per node group
      expect(watcher).toContain(
        '"nodeGroups" = [ for key, val in local.node_groups: { for k, v in merge({"name" = key,',
      );
      for (const key of [
        'clusterName',
        'clusterArn',
        'name',
        'asgName',
        'mode',
        'sourceParameterName',
        'approvedParameterName',
        'previousParameterName',
        'stateParameterName',
        'refreshPreferences',
        'minHealthyPercentage',
        'checkpointPercentages',
        'minAmiAgeHours',
        'maintenanceWindows',
        'pauseParameterName',
        'denyListParameterName',
      ]) {
        expect(watcher).toContain(`"${key}" =`);
      }
      expect(watcher).toContain('"mode" = val.ami_mode');
      expect(watcher).toContain(
        '"approvedParameterName" = (val.ami_mode == "auto") ? ' +
          '"/ecs-ami-rollout/${local.cluster_name}/${key}/approved-ami" : null',
      );
      expect(watcher).toContain('"stateParameterName" = "/ecs-ami-rollout/${local.cluster_name}/${key}/watcher-state"');
      const monitor: string = functions.agent_monitor.environment.variables.MONITOR_CONFIG;
      expect(monitor).toContain('"nodeGroups" = [ for key, val in local.node_groups:');
      expect(monitor).toContain('"updateAgents" = var.update_agents');
      // one watcher state parameter per node group
      expect(main.resource.aws_ssm_parameter.watcher_state).toMatchObject({
        for_each: '${local.node_groups}',
        name: '/ecs-ami-rollout/${local.cluster_name}/${each.key}/watcher-state',
      });
      // every function reports to the topic (created unless notification_topic_arn is given)
      expect(main.resource.aws_sns_topic.notifications).toMatchObject({
        count: '${var.notification_topic_arn == null ? 1 : 0}',
        kms_master_key_id: '${var.notification_kms_key_arn != null ? var.notification_kms_key_arn : "alias/aws/sns"}',
      });
      for (const fn of Object.values<Json>(functions))
        expect(fn.environment.variables.NOTIFY_TOPIC_ARN).toContain('one(aws_sns_topic.notifications[*].arn)');
    },
  );

  test("the watcher may refresh only the auto node groups' ASGs and write only their parameters", () => {
    const statements: Json[] = main.data.aws_iam_policy_document.ami_watcher.statement;
    const roll = statements.find((s) => s.sid === 'RollOwnGroups')!;
    expect(roll.resources).toMatch(/^\$\{\[ for key, val in local\.auto_node_groups: /);
    const write = statements.find((s) => s.sid === 'WriteOwnParameters')!;
    expect(write.resources).toContain('for key, val in local.auto_node_groups');
    expect(write.resources).not.toContain('/aws/service/');
  });
});
