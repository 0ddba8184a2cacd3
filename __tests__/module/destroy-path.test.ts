/**
 * The destroy path of the module, as Terraform orders it (a block is destroyed after every block that refers to it or
 * depends on it): the Auto Scaling groups depend on every gate resource, so on `terraform destroy` the groups go first
 * and nothing that delivers or completes their lifecycle events goes while they still have instances; the hook
 * resources refer to their group and go before it. docs/terraform-module.md ("Destroy and removing a node group")
 * explains what that means for draining.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

type Block = Record<string, unknown> & { depends_on?: string[]; count?: string; for_each?: string };
const main = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'terraform-module', 'main.tf.json'), 'utf8'),
) as { resource: Record<string, Record<string, Block>> };
const resources = Object.entries(main.resource).flatMap(([type, blocks]) =>
  Object.entries(blocks).map(([name, block]) => ({ address: `${type}.${name}`, block })),
);
const asg = main.resource.aws_autoscaling_group.node_group;

test('the Auto Scaling groups depend on every gate resource: created before the groups, destroyed after them', () => {
  const gateResources = resources
    .map((r) => r.address)
    .filter((address) => /\.(launch|drain)_gate(_|$)/.test(address) && !address.startsWith('aws_autoscaling_'));
  expect(gateResources.length).toBeGreaterThanOrEqual(30);
  expect([...(asg.depends_on ?? [])].sort()).toEqual(gateResources.sort());
});

test('the hook resources refer to their group: Terraform deletes them first when a node group goes', () => {
  for (const hook of ['launch_gate', 'drain_gate']) {
    expect(main.resource.aws_autoscaling_lifecycle_hook[hook].autoscaling_group_name).toBe(
      '${aws_autoscaling_group.node_group[each.key].name}',
    );
  }
  expect(main.resource.aws_autoscaling_lifecycle_hook.drain_gate.for_each).toBe('${local.drained_node_groups}');
});

test('force_delete and the delete timeout are per node group inputs of the group', () => {
  expect(asg.force_delete).toBe('${each.value.force_delete}');
  expect(asg.timeouts).toEqual({ delete: '${each.value.delete_timeout}' });
});
