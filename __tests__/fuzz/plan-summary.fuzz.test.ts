/**
 * Fuzzing, `plan-summary` (the CLI reads `terraform show -json` output from a pull request: untrusted JSON). Random
 * plans whose types, actions, tag keys, trigger names and attribute keys include the names of Object.prototype members:
 * summarizing and rendering never throw, every change is either summarized or counted once under its own action, and
 * only replacements or deletions of the risky types fail `--fail-on-replace`. Deterministic in `npm test`
 * (support/property-runs.ts); `npm run fuzz -- --target cli` explores.
 */
import fc from 'fast-check';
import { renderMarkdown, renderText } from '../../cli/plan-summary/render';
import { hasFailingRisk, summarizePlan } from '../../cli/plan-summary/summarize';
import type { TerraformPlanJson } from '../../cli/plan-summary/plan-json';
import { fuzzParameters, propertyTestTimeout } from '../support/property-runs';
import { PROTOTYPE_NAMES } from './support/prototype-names';

// Properties run many cases: a slow shared machine must not turn a passing property into a timeout.
jest.setTimeout(propertyTestTimeout());

/** Cases in `npm test`; `npm run fuzz` runs many more. */
const PLAN_RUNS = 300;

const prototypeName = fc.constantFrom(...PROTOTYPE_NAMES);
const word = fc.oneof(prototypeName, fc.constantFrom('web', 'x86', 'prod'), fc.string({ maxLength: 8 }));
const TAG_KEYS = ['ecs-ami-rollout:node-group', 'ecs-ami-rollout:cluster'];

/** Attribute values as the plan JSON holds them, with prototype names as keys anywhere. */
const values = fc.option(
  fc.record(
    {
      name: word,
      image_id: fc.constantFrom('ami-0aaa', 'ami-0bbb'),
      value: fc.constantFrom('ami-0aaa', 'ami-0bbb'),
      desired_capacity: fc.nat(10),
      tags: fc.dictionary(fc.oneof(fc.constantFrom(...TAG_KEYS), prototypeName), word, { maxKeys: 3 }),
      tag: fc.array(fc.record({ key: fc.oneof(fc.constantFrom(...TAG_KEYS), prototypeName), value: word }), {
        maxLength: 3,
      }),
      launch_template: fc.array(fc.record({ id: word, version: fc.constantFrom('1', '2') }), { maxLength: 1 }),
      instance_refresh: fc.array(
        fc.record({
          strategy: fc.constantFrom('Rolling', 'ReplaceRootVolume'),
          triggers: fc.array(fc.oneof(prototypeName, fc.constantFrom('tag', 'launch_template')), { maxLength: 2 }),
          preferences: fc.array(fc.dictionary(prototypeName, fc.jsonValue({ maxDepth: 1 }), { maxKeys: 2 }), {
            maxLength: 1,
          }),
        }),
        { maxLength: 1 },
      ),
      initial_lifecycle_hook: fc.array(fc.record({ name: word }), { maxLength: 2 }),
    },
    { requiredKeys: [] },
  ),
  { nil: null },
);

const resourceChange = fc.record({
  address: fc.oneof(prototypeName, fc.string({ maxLength: 12 })),
  mode: fc.constantFrom('managed', 'data'),
  type: fc.oneof(
    fc.constantFrom(
      'aws_launch_template',
      'aws_autoscaling_group',
      'aws_ssm_parameter',
      'aws_ecs_cluster',
      'aws_ecs_capacity_provider',
      'aws_s3_bucket',
    ),
    prototypeName,
  ),
  name: word,
  change: fc.record({
    actions: fc.subarray(['create', 'delete', 'update', 'no-op', 'read', ...PROTOTYPE_NAMES], { maxLength: 2 }),
    before: values,
    after: values,
    after_unknown: fc.option(fc.dictionary(prototypeName, fc.boolean(), { maxKeys: 2 }), { nil: undefined }),
  }),
});

describe('plan-summary: fuzzed plans', () => {
  test('never throws, counts every unsummarized change once under its own action', () => {
    fc.assert(
      fc.property(fc.array(resourceChange, { maxLength: 8 }), (changes) => {
        // GIVEN a plan JSON with random changes WHEN it is summarized and rendered (nothing may throw)
        const plan = { format_version: '1.2', resource_changes: changes } as unknown as TerraformPlanJson;
        const summary = summarizePlan(plan);
        expect(typeof renderMarkdown(summary)).toBe('string');
        expect(typeof renderText(summary)).toBe('string');
        // THEN the counts are own integer entries that add up to the listed other changes
        const counted = Object.keys(summary.otherCounts).reduce((sum, action) => {
          expect(Number.isInteger(summary.otherCounts[action])).toBe(true);
          return sum + summary.otherCounts[action];
        }, 0);
        expect(counted).toBe(summary.other.length);
        for (const change of summary.other) expect(Object.hasOwn(summary.otherCounts, change.action)).toBe(true);
        // AND only deletions (replacements delete too) and ASG lifecycle-hook removals fail --fail-on-replace
        const managed = changes.filter((rc) => rc.mode === 'managed');
        for (const risk of summary.risky.filter((r) => r.failing)) {
          const source = managed.filter((rc) => rc.address === risk.address);
          expect(source.some((rc) => rc.change.actions.includes('delete') || rc.type === 'aws_autoscaling_group')).toBe(
            true,
          );
        }
        expect(hasFailingRisk(summary)).toBe(summary.risky.some((risk) => risk.failing));
      }),
      fuzzParameters(PLAN_RUNS),
    );
  });
});
