import { createPowertoolsMetrics } from '../../../lambdas/shared/observability';

describe('createPowertoolsMetrics', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  it('emits one EMF document per data point in the EcsAmiRollout namespace with cluster/nodeGroup dimensions', () => {
    // GIVEN the namespace the construct sets, and captured stdout
    process.env.POWERTOOLS_METRICS_NAMESPACE = 'EcsAmiRollout';
    process.env.POWERTOOLS_SERVICE_NAME = 'drain-gate';
    const written: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    jest.spyOn(console, 'log').mockImplementation((line: unknown) => void written.push(String(line)));
    // WHEN a metric is recorded
    createPowertoolsMetrics().record('DrainsForced', 'Count', 1, { cluster: 'prod', nodeGroup: 'general' });
    // THEN one EMF line carries the metric, its unit and both dimensions
    const emf = written
      .map((line) => line.trim())
      .filter((line) => line.includes('_aws'))
      .map((line) => JSON.parse(line));
    expect(emf).toHaveLength(1);
    expect(emf[0]).toMatchObject({ DrainsForced: 1, cluster: 'prod', nodeGroup: 'general' });
    expect(emf[0]._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'EcsAmiRollout',
      Metrics: [{ Name: 'DrainsForced', Unit: 'Count' }],
    });
    expect(emf[0]._aws.CloudWatchMetrics[0].Dimensions[0]).toEqual(expect.arrayContaining(['cluster', 'nodeGroup']));
  });
});
