/**
 * Policy suite, container instances: the launch templates and Auto Scaling groups of every representative
 * configuration, one test per scanner rule (named after the rule it mirrors).
 */
import { DEFAULTS } from '../../../lib/defaults';
import { resourcesOf } from '../../support/synth';
import { allScenarios, decodeUserData, KMS_KEY_ARN, scenario, secretFindings } from '../support/scenarios';

import type { JsonObject as Json } from '../../support/json';

/** Every launch template of every scenario, labelled for failure messages. */
function launchTemplates(): { where: string; template: Json }[] {
  return allScenarios().flatMap(([name, json]) =>
    resourcesOf(json, 'aws_launch_template').map((template) => ({
      where: `${name} / ${template.description}`,
      template,
    })),
  );
}

/** Registers the rule tests (called by ../policy.test.ts, which synthesizes every scenario once). */
export function registerInstanceRules(): void {
  describe('policy suite: container instances', () => {
    test('every scenario has launch templates to scan (the rules below are not vacuous)', () => {
      // GIVEN every scenario WHEN synthesized THEN each has at least one launch template, two for the multi-group ones
      for (const [name, json] of allScenarios())
        expect([name, resourcesOf(json, 'aws_launch_template').length > 0]).toEqual([name, true]);
      expect(resourcesOf(scenario('multi node group + spot'), 'aws_launch_template')).toHaveLength(2);
    });

    test('CKV_AWS_79: IMDSv2 is required (http_tokens = required, endpoint on, instance tags off)', () => {
      for (const { where, template } of launchTemplates()) {
        expect([where, template.metadata_options]).toEqual([
          where,
          expect.objectContaining({
            http_tokens: 'required',
            http_endpoint: 'enabled',
            instance_metadata_tags: 'disabled',
          }),
        ]);
      }
    });

    test('CKV_AWS_341: IMDS response hop limit is 1 by default (containers cannot reach the instance role)', () => {
      // The default is defined once (lib/defaults.ts explains why 1) and reaches every template unless a group raises
      // it.
      expect(DEFAULTS.nodeGroup.httpPutResponseHopLimit).toBe(1);
      for (const { where, template } of launchTemplates()) {
        expect([where, template.metadata_options.http_put_response_hop_limit]).toEqual([where, 1]);
      }
    });

    test('CKV_AWS_88: instances get no public IP (stated on the network interface, whatever the subnet says)', () => {
      for (const { where, template } of launchTemplates()) {
        expect([where, template.network_interfaces]).toEqual([
          where,
          [expect.objectContaining({ device_index: 0, associate_public_ip_address: 'false' })],
        ]);
        // No top-level security groups: they would bypass the interface block (and conflict with it).
        expect([where, template.vpc_security_group_ids]).toEqual([where, undefined]);
      }
    });

    test('launch-template EBS encryption (scanners check aws_instance/aws_ebs_volume only): all encrypted', () => {
      for (const { where, template } of launchTemplates()) {
        const mappings: Json[] = template.block_device_mappings ?? [];
        expect([where, mappings.length]).toEqual([where, 1]);
        for (const mapping of mappings) {
          // The root device of the ECS-optimized AMIs, so the encrypted mapping replaces the AMI's root volume.
          expect([where, mapping.device_name, mapping.ebs.encrypted, mapping.ebs.delete_on_termination]).toEqual([
            where,
            '/dev/xvda',
            'true',
            'true',
          ]);
        }
      }
      // AND a customer managed key reaches the mapping when one is given
      const cmk = resourcesOf(
        scenario('gitops AMI mode (+ pinned AMI, user data, root volume CMK)'),
        'aws_launch_template',
      ).find((t) => String(t.name).endsWith('-pinned'));
      expect(cmk?.block_device_mappings[0].ebs.kms_key_id).toBe(KMS_KEY_ARN);
    });

    test('CKV_AWS_46: the rendered user data has no AWS keys, passwords, tokens, private keys or webhook URLs', () => {
      for (const { where, template } of launchTemplates()) {
        const text = decodeUserData(template.user_data);
        // The decoder really rendered the document (else the scan would be vacuous)
        expect([where, text]).toEqual([where, expect.stringContaining('ECS_CLUSTER=<ref>')]);
        expect([where, secretFindings(text)]).toEqual([where, []]);
      }
      // AND a user's own part is scanned too (it is passed through verbatim, shell `${VAR}` intact)
      const pinned = resourcesOf(
        scenario('gitops AMI mode (+ pinned AMI, user data, root volume CMK)'),
        'aws_launch_template',
      ).find((t) => String(t.name).endsWith('-pinned'));
      expect(decodeUserData(pinned?.user_data)).toContain('echo "joined ${HOSTNAME}"');
    });

    test('CKV_AWS_46 detector self-check: each secret pattern fires on a sample (the scan above can fail)', () => {
      const samples = [
        'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE',
        'aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"',
        '-----BEGIN RSA PRIVATE KEY-----',
        'curl https://admin:hunter2@example.com/',
        'DB_PASSWORD=hunter2',
        'https://hooks.slack.com/services/T000/B000/XXXX',
        'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
      ];
      expect(samples.map((s) => secretFindings(s).length > 0)).toEqual(samples.map(() => true));
    });

    test('CKV_AWS_315: every Auto Scaling group launches from a launch template (plain or mixed instances)', () => {
      for (const [name, json] of allScenarios()) {
        for (const group of resourcesOf(json, 'aws_autoscaling_group')) {
          const template =
            group.launch_template?.id ??
            group.mixed_instances_policy?.launch_template?.launch_template_specification?.launch_template_id;
          expect([name, template]).toEqual([name, expect.stringMatching(/^\$\{aws_launch_template\.[^.]+\.id\}$/)]);
          expect([name, group.launch_configuration]).toEqual([name, undefined]);
        }
      }
    });

    test('CKV_AWS_65: a created cluster has Container Insights on', () => {
      for (const [name, json] of allScenarios().filter(([n]) => n !== 'adopted cluster')) {
        expect([name, resourcesOf(json, 'aws_ecs_cluster')[0]?.setting]).toEqual([
          name,
          [{ name: 'containerInsights', value: 'enabled' }],
        ]);
      }
    });
  });
}
