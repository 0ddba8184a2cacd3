/** MONITOR_CONFIG parsing (cold start) and the monitor's deps: clear errors, defaults, EMF metrics shape. */
import { parseMonitorConfig } from '../../../lambdas/monitor/config';
import { createPowertoolsMonitorMetrics, defaultDeps } from '../../../lambdas/monitor/deps';
import { CLUSTER_ARN } from './fixtures';

const valid = {
  clusterName: 'prod',
  clusterArn: CLUSTER_ARN,
  nodeGroups: [{ name: 'web', asgName: 'prod-web', approvedAmiParameter: '/ecs-ami-rollout/prod/web/approved-ami' }],
  stateParameterName: '/ecs-ami-rollout/prod/agent-monitor-state',
};

describe('MONITOR_CONFIG', () => {
  it('fills the defaults (updateAgents off, 1 update per run)', () => {
    // GIVEN / WHEN a minimal config / THEN defaults are applied
    expect(parseMonitorConfig(JSON.stringify(valid))).toMatchObject({ updateAgents: false, maxAgentUpdatesPerRun: 1 });
  });

  it.each([
    ['missing', undefined, /MONITOR_CONFIG is not set/],
    ['invalid JSON', '{not json', /MONITOR_CONFIG is not valid JSON/],
    [
      'clusterArn not an ARN',
      JSON.stringify({ ...valid, clusterArn: 'prod' }),
      /MONITOR_CONFIG\.clusterArn: must be an ECS cluster ARN/,
    ],
    [
      'no node groups',
      JSON.stringify({ ...valid, nodeGroups: [] }),
      /MONITOR_CONFIG\.nodeGroups: Array must contain at least 1/,
    ],
    [
      '0 updates per run',
      JSON.stringify({ ...valid, maxAgentUpdatesPerRun: 0 }),
      /MONITOR_CONFIG\.maxAgentUpdatesPerRun/,
    ],
    [
      '11 updates per run',
      JSON.stringify({ ...valid, maxAgentUpdatesPerRun: 11 }),
      /MONITOR_CONFIG\.maxAgentUpdatesPerRun/,
    ],
    [
      'non-boolean updateAgents',
      JSON.stringify({ ...valid, updateAgents: 'yes' }),
      /MONITOR_CONFIG\.updateAgents: Expected boolean/,
    ],
    [
      'bad parameter name',
      JSON.stringify({ ...valid, stateParameterName: 'bad name!' }),
      /MONITOR_CONFIG\.stateParameterName: must be an SSM parameter name/,
    ],
    [
      'malformed approvedAmiId',
      JSON.stringify({ ...valid, nodeGroups: [{ name: 'web', asgName: 'a', approvedAmiId: 'ami-XYZ' }] }),
      /nodeGroups\.0\.approvedAmiId/,
    ],
    [
      'duplicate node group',
      JSON.stringify({ ...valid, nodeGroups: [valid.nodeGroups[0], valid.nodeGroups[0]] }),
      /nodeGroups\.1\.name: duplicate node group "web"/,
    ],
    ['unknown key', JSON.stringify({ ...valid, extra: 1 }), /Unrecognized key/],
  ])('rejects a config with %s, naming the key', (_label, raw, message) => {
    // GIVEN a broken config / WHEN parsing / THEN the error names the key
    expect(() => parseMonitorConfig(raw)).toThrow(message);
  });
});

describe('defaultDeps', () => {
  it('builds clients, config and notifier from the environment', () => {
    // GIVEN the env the construct sets
    const deps = defaultDeps({ MONITOR_CONFIG: JSON.stringify(valid), AWS_REGION: 'eu-west-1' });
    // THEN
    expect(deps.config.clusterName).toBe('prod');
    expect(typeof deps.ecs.send).toBe('function');
    expect(typeof deps.notifier.notify).toBe('function');
  });

  it('fails the cold start on a bad config', () => {
    // GIVEN / WHEN / THEN
    expect(() => defaultDeps({})).toThrow(/MONITOR_CONFIG is not set/);
  });
});

describe('EMF metrics', () => {
  it('emits one document in namespace EcsAmiRollout with the cluster dimension', () => {
    // GIVEN stdout captured
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    // WHEN publishing
    try {
      createPowertoolsMonitorMetrics().publish('prod', {
        DisconnectedAgents: 2,
        ImpairedInstances: 0,
        InstancesOffApprovedAmi: 3,
        AgentsBehindNewest: 1,
        AgentUpdateStatusFailed: 0,
        AgentUpdatesStarted: 1,
        AgentUpdatesFailed: 0,
      });
    } finally {
      spy.mockRestore();
    }
    // THEN
    const emf = JSON.parse(writes.find((line) => line.includes('_aws'))!);
    expect(emf._aws.CloudWatchMetrics[0].Namespace).toBe('EcsAmiRollout');
    expect(emf._aws.CloudWatchMetrics[0].Dimensions[0]).toContain('cluster');
    expect(emf).toMatchObject({
      cluster: 'prod',
      DisconnectedAgents: 2,
      InstancesOffApprovedAmi: 3,
      AgentUpdatesStarted: 1,
    });
  });
});
