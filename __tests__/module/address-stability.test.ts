/**
 * Module block addresses are part of the module's interface: a user's state holds them. The committed list
 * (fixtures/module-addresses.json) is the contract; renaming or re-keying a block without a `moved` block would make
 * Terraform destroy and recreate it (a renamed pause switch unpauses a fleet, a renamed deny list forgets bad AMIs).
 * The plan matrix (terraform/plan-matrix.test.ts) plans an upgrade from the previous names over seeded state.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { MOVED_BLOCKS } from '../../scripts/module/moved-blocks';

type Blocks = Record<string, Record<string, { for_each?: unknown; count?: unknown }>>;
const MODULE = path.join(__dirname, '..', '..', 'terraform-module');
const main = JSON.parse(fs.readFileSync(path.join(MODULE, 'main.tf.json'), 'utf8')) as {
  resource: Blocks;
  data: Blocks;
};
const committed: string[] = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'module-addresses.json'), 'utf8'),
);

/** `type.name[marker]`: how the block repeats is part of its address. */
function addresses(): string[] {
  const list: string[] = [];
  for (const [kind, prefix] of [
    ['resource', ''],
    ['data', 'data.'],
  ] as const) {
    for (const [type, blocks] of Object.entries(main[kind])) {
      for (const [name, block] of Object.entries(blocks)) {
        const marker = block.for_each !== undefined ? '[node group]' : block.count !== undefined ? '[toggle]' : '';
        list.push(`${prefix}${type}.${name}${marker}`);
      }
    }
  }
  return list.sort();
}

test('the module has exactly the committed block addresses (add new ones to the list deliberately)', () => {
  expect(addresses()).toEqual(committed);
});

test('every block name is short, snake_case and free of construct-path stutter', () => {
  for (const address of addresses()) {
    const name = address.replace(/\[.*$/, '').split('.').pop()!;
    expect([address, name.length <= 40 && /^[a-z][a-z0-9_]*$/.test(name)]).toEqual([address, true]);
    expect(name).not.toMatch(/(queue_queue|role_role|_trigger_|_rule$|_target$|_permission$|dead_letter)/);
  }
});

test('every moved block leads from a name that is gone (or got a toggle) to a block that exists', () => {
  const current = new Set(addresses().map((a) => a.replace(/\[.*$/, '')));
  for (const [from, to] of MOVED_BLOCKS) {
    // (a block that got a toggle moves to its instance [0] under the same name)
    if (to !== `${from}[0]`) expect([from, current.has(from)]).toEqual([from, false]);
    expect([to, current.has(to.replace(/\[.*$/, ''))]).toEqual([to, true]);
  }
  expect(new Set(MOVED_BLOCKS.map(([from]) => from)).size).toBe(MOVED_BLOCKS.length);
});

test('the moved blocks are in the module as Terraform renders them', () => {
  const moved = JSON.parse(fs.readFileSync(path.join(MODULE, 'moved.tf.json'), 'utf8')).moved;
  expect(moved).toEqual(MOVED_BLOCKS.map(([from, to]) => ({ from, to })));
  // the state parameters of release 0.1 keep their objects
  expect(MOVED_BLOCKS).toContainEqual(['aws_ssm_parameter.ami_watcher_paused', 'aws_ssm_parameter.paused']);
  expect(MOVED_BLOCKS).toContainEqual(['aws_ssm_parameter.ami_watcher_denied_amis', 'aws_ssm_parameter.denied_amis']);
});
