import { lifecycleGlobalTimeoutSeconds, parseGateConfig } from '../../../lambdas/shared/config';
import { testConfigInput } from './helpers/gate-test-kit';

const json = (value: unknown) => JSON.stringify(value);

describe('parseGateConfig (GATE_CONFIG)', () => {
  it('fills the documented defaults', () => {
    // GIVEN a config with only the required keys
    const config = parseGateConfig(json(testConfigInput()));
    // THEN the defaults of the contract apply
    expect(config).toMatchObject({
      joinDeadlineSeconds: 600,
      maxDrainSeconds: 3600,
      standaloneTaskGraceSeconds: 300,
      requireHealthyInstance: true,
    });
    expect(config.nodeGroups[0]).toMatchObject({ asgName: 'my-asg', terminateHookName: 'drain-gate' });
  });

  it.each([
    ['unset', undefined, /GATE_CONFIG is not set/],
    ['not JSON', '{nope', /GATE_CONFIG is not valid JSON/],
    ['missing clusterArn', json({ ...testConfigInput(), clusterArn: undefined }), /GATE_CONFIG\.clusterArn: Required/],
    [
      'bad clusterArn',
      json({ ...testConfigInput(), clusterArn: 'prod' }),
      /GATE_CONFIG\.clusterArn: must be an ECS cluster ARN/,
    ],
    [
      'no node group',
      json({ ...testConfigInput(), nodeGroups: [] }),
      /GATE_CONFIG\.nodeGroups: Array must contain at least 1/,
    ],
    [
      'missing hook name',
      json({ ...testConfigInput(), nodeGroups: [{ ...testConfigInput().nodeGroups[0], launchHookName: undefined }] }),
      /GATE_CONFIG\.nodeGroups\.0\.launchHookName: Required/,
    ],
    [
      'heartbeat below 30 s',
      json({
        ...testConfigInput(),
        nodeGroups: [{ ...testConfigInput().nodeGroups[0], terminateHeartbeatSeconds: 10 }],
      }),
      /nodeGroups\.0\.terminateHeartbeatSeconds: Number must be greater than or equal to 30/,
    ],
    [
      'bad AMI id',
      json({ ...testConfigInput(), nodeGroups: [{ ...testConfigInput().nodeGroups[0], expectedAmiId: 'ubuntu' }] }),
      /nodeGroups\.0\.expectedAmiId: must look like ami-/,
    ],
    [
      'negative grace',
      json({ ...testConfigInput(), standaloneTaskGraceSeconds: -1 }),
      /GATE_CONFIG\.standaloneTaskGraceSeconds/,
    ],
    [
      'unknown key (typo)',
      json({ ...testConfigInput(), maxDrainSecs: 10 }),
      /Unrecognized key\(s\) in object: 'maxDrainSecs'/,
    ],
    [
      'maxDrainSeconds above the global timeout',
      json({ ...testConfigInput(), maxDrainSeconds: 30_001 }),
      /GATE_CONFIG\.maxDrainSeconds: 30001 exceeds the terminate hook's global timeout of node group "general" .* = 30000 s/,
    ],
    [
      'duplicate ASG',
      json({
        ...testConfigInput(),
        nodeGroups: [testConfigInput().nodeGroups[0], { ...testConfigInput().nodeGroups[0], name: 'b' }],
      }),
      /nodeGroups\.1\.asgName: duplicate ASG "my-asg"/,
    ],
  ])('rejects %s with a message naming the key', (_name, raw, message) => {
    // GIVEN an invalid GATE_CONFIG  WHEN parsed  THEN the error names the key and the fix
    expect(() => parseGateConfig(raw)).toThrow(message);
  });

  it('reads a null forceDrainAfterSeconds (the module variable left unset) as never forced', () => {
    // GIVEN the Terraform module's GATE_CONFIG with force_drain_after_seconds = null WHEN parsed
    const config = parseGateConfig(json({ ...testConfigInput(), forceDrainAfterSeconds: null }));
    // THEN it is the same as absent
    expect(config.forceDrainAfterSeconds).toBeUndefined();
    expect(parseGateConfig(json({ ...testConfigInput(), forceDrainAfterSeconds: 7200 })).forceDrainAfterSeconds).toBe(
      7200,
    );
  });

  it('computes the lifecycle global timeout as min(48 h, 100 × heartbeat)', () => {
    expect(lifecycleGlobalTimeoutSeconds(300)).toBe(30_000);
    expect(lifecycleGlobalTimeoutSeconds(7200)).toBe(172_800);
  });
});
