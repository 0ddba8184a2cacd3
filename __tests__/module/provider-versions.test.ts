/**
 * The module's hashicorp/aws range admits both the tested 5.100.0 and the 6.x that current roots run: a root that
 * requires aws >= 6.34 (examples/terraform-module/aws6, as terraform-aws-ecs v7 does) and the module agree on a
 * version. The 6.x API itself is checked by `npm run typecheck:aws6` (the constructs against the 6.x bindings).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AWS_PROVIDER_CONSTRAINT } from '../../scripts/module/render';

const ROOT = path.join(__dirname, '..', '..');

/** Does `version` satisfy a constraint of `>=`, `>`, `<`, `<=`, `=` clauses joined by commas? */
function satisfies(version: string, constraint: string): boolean {
  const parts = (v: string) => v.split('.').map(Number);
  const compare = (a: string, b: string) => {
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
    return 0;
  };
  return constraint.split(',').every((clause) => {
    const [, op, bound] = /^\s*(>=|<=|>|<|=)?\s*([0-9.]+)\s*$/.exec(clause)!;
    const c = compare(version, bound);
    return { '>=': c >= 0, '<=': c <= 0, '>': c > 0, '<': c < 0, '=': c === 0 }[op ?? '='];
  });
}

const constraintOf = (file: string) =>
  /\n\s+version\s*=\s*"([^"]+)"/.exec(fs.readFileSync(path.join(ROOT, file), 'utf8'))![1];

test('the module admits the tested 5.100.0 and every 6.x, and no 7.x', () => {
  expect(AWS_PROVIDER_CONSTRAINT).toBe('>= 5.100.0, < 7.0.0');
  expect(['5.100.0', '6.0.0', '6.34.0', '6.99.9'].map((v) => satisfies(v, AWS_PROVIDER_CONSTRAINT))).toEqual([
    true,
    true,
    true,
    true,
  ]);
  expect(['5.99.1', '7.0.0'].map((v) => satisfies(v, AWS_PROVIDER_CONSTRAINT))).toEqual([false, false]);
});

test('a root that requires aws >= 6.34 and the module agree on a version', () => {
  const root = constraintOf('examples/terraform-module/aws6/main.tf');
  expect(root).toBe('>= 6.34');
  expect(satisfies('6.34.0', root) && satisfies('6.34.0', AWS_PROVIDER_CONSTRAINT)).toBe(true);
  // the examples that run here stay on the range the module states
  for (const example of ['basic', 'multi-cluster'])
    expect(constraintOf(`examples/terraform-module/${example}/main.tf`)).toBe(AWS_PROVIDER_CONSTRAINT);
});
