/** Decision table of the agent monitor: report, agent updates, change-only notifications, state digest. */
import { decide } from '../../../lambdas/monitor/agent-decision';
import { stateAfterDelivery } from '../../../lambdas/monitor/notifications';
import type { MonitorState } from '../../../lambdas/monitor/types';
import { AMI_NEW, AMI_OLD, AMI_OLDER, AMIS, instance, monitorConfig, NOW, snapshot } from './fixtures';

const updating = monitorConfig({ updateAgents: true });

describe('agent monitor decisions', () => {
  it('1. all healthy: empty report, no updates, no notifications', () => {
    // GIVEN three healthy instances on the approved AMI, same agent version, update enabled
    const fleet = snapshot([instance(1), instance(2), instance(3)]);
    // WHEN deciding on a first run
    const decision = decide(fleet, undefined, updating, NOW);
    // THEN nothing is wrong, nothing to update or say
    expect(decision.report).toMatchObject({
      instances: 3,
      disconnected: [],
      updateFailed: [],
      impaired: [],
      agentsBehind: [],
    });
    expect(decision.report.drift.find((d) => d.nodeGroup === 'web')).toMatchObject({ instances: 3, offApproved: 0 });
    expect(decision.updatePlan.targets).toEqual([]);
    expect(decision.notifications).toEqual([]);
    expect(decision.nextState.f).toEqual({});
  });

  it('2. one ACTIVE agent disconnected: reported, notified once, and it blocks agent updates', () => {
    // GIVEN one disconnected agent (boolean false) and one agent behind
    const fleet = snapshot([
      instance(1, { agentConnected: false }),
      instance(2, { agentVersion: '1.80.0' }),
      instance(3),
    ]);
    // WHEN deciding
    const decision = decide(fleet, undefined, updating, NOW);
    // THEN it is reported, updates are blocked, one warning goes out
    expect(decision.report.disconnected.map((i) => i.ec2InstanceId)).toEqual([instance(1).ec2InstanceId]);
    expect(decision.updatePlan).toMatchObject({ targets: [], blockedBy: '1 agent(s) disconnected' });
    expect(decision.notifications.map((n) => [n.notification.kind, n.notification.severity])).toEqual([
      ['agent.disconnected', 'warning'],
    ]);
    expect(decision.notifications[0].notification.details).toMatchObject({ instances: 1, nodeGroups: 'web' });
  });

  it('3. agentConnected is compared as a boolean: undefined is not "disconnected", DRAINING is not reported', () => {
    // GIVEN an instance without the field and a DRAINING disconnected one
    const fleet = snapshot([
      instance(1, { agentConnected: undefined }),
      instance(2, { status: 'DRAINING', agentConnected: false }),
    ]);
    // WHEN deciding
    const decision = decide(fleet, undefined, updating, NOW);
    // THEN neither is an "ACTIVE disconnected" report, but the DRAINING one still blocks updates
    expect(decision.report.disconnected).toEqual([]);
    expect(decision.updatePlan.blockedBy).toBe('1 agent(s) disconnected');
  });

  it('4. FAILED agent update: reported, notified, and the instance is not retried', () => {
    // GIVEN a FAILED update on an agent that is behind
    const fleet = snapshot([instance(1, { agentUpdateStatus: 'FAILED', agentVersion: '1.80.0' }), instance(2)]);
    // WHEN deciding
    const decision = decide(fleet, undefined, updating, NOW);
    // THEN
    expect(decision.report.updateFailed).toHaveLength(1);
    expect(decision.notifications.map((n) => n.notification.kind)).toEqual(['agent.updateFailed']);
    expect(decision.notifications[0].notification.details.agentVersions).toBe('1.80.0');
    expect(decision.updatePlan.targets).toEqual([]);
    expect(decision.updatePlan.skipped[0].reason).toMatch(/previous agent update FAILED/);
  });

  it('5. IMPAIRED instance health is reported and notified', () => {
    // GIVEN one IMPAIRED instance
    const fleet = snapshot([instance(1, { healthStatus: 'IMPAIRED' }), instance(2)]);
    // WHEN deciding
    const decision = decide(fleet, undefined, monitorConfig(), NOW);
    // THEN
    expect(decision.report.impaired.map((i) => i.ec2InstanceId)).toEqual([instance(1).ec2InstanceId]);
    expect(decision.notifications.map((n) => n.notification.kind)).toEqual(['instance.impaired']);
  });

  it('6. drift: counts per AMI per node group and the oldest AMI age', () => {
    // GIVEN web: 2 on the approved AMI, 2 on AMI_OLD, 1 on AMI_OLDER; batch: 1 on AMI_OLD; one unassigned
    const fleet = snapshot([
      instance(1),
      instance(2),
      instance(3, { amiId: AMI_OLD }),
      instance(4, { amiId: AMI_OLD }),
      instance(5, { amiId: AMI_OLDER }),
      instance(6, { amiId: AMI_OLD, nodeGroup: 'batch' }),
      instance(7, { nodeGroup: undefined }),
    ]);
    // WHEN deciding
    const decision = decide(fleet, undefined, monitorConfig(), NOW);
    // THEN per node group counts, ages (days before 2025-06-01) and one drift notification per group
    const web = decision.report.drift.find((d) => d.nodeGroup === 'web')!;
    expect(web).toMatchObject({ instances: 5, offApproved: 3, oldestAmiId: AMI_OLDER, oldestAmiAgeDays: 151 });
    expect(web.amis).toEqual([
      { amiId: AMI_NEW, name: AMIS[AMI_NEW].name, count: 2, approved: true, ageDays: 12 },
      { amiId: AMI_OLD, name: AMIS[AMI_OLD].name, count: 2, approved: false, ageDays: 61 },
      { amiId: AMI_OLDER, name: AMIS[AMI_OLDER].name, count: 1, approved: false, ageDays: 151 },
    ]);
    expect(decision.report.drift.find((d) => d.nodeGroup === 'batch')).toMatchObject({ instances: 1, offApproved: 1 });
    expect(decision.report.unassigned).toBe(1);
    const drift = decision.notifications.filter((n) => n.notification.kind === 'ami.drift');
    expect(drift.map((n) => n.notification.nodeGroup)).toEqual(['web', 'batch']);
    expect(drift[0].notification.details).toMatchObject({ offApproved: '3 of 5', oldestAmiAgeDays: 151 });
    expect(drift[0].notification.details[AMI_OLD]).toContain('2 instance(s)');
  });

  it('7. drift is not judged when the approved AMI is unknown', () => {
    // GIVEN batch's parameter could not be read
    const fleet = snapshot([instance(1, { nodeGroup: 'batch', amiId: AMI_OLD })], { web: AMI_NEW, batch: undefined });
    // WHEN deciding / THEN counts exist, but no off-approved and no notification
    const decision = decide(fleet, undefined, monitorConfig(), NOW);
    expect(decision.report.drift.find((d) => d.nodeGroup === 'batch')).toMatchObject({ instances: 1, offApproved: 0 });
    expect(decision.notifications).toEqual([]);
  });

  it.each(['PENDING', 'STAGING', 'STAGED', 'UPDATING'])(
    '8. an update in progress (%s) blocks every new update',
    (status) => {
      // GIVEN one agent updating and another behind
      const fleet = snapshot([instance(1, { agentUpdateStatus: status }), instance(2, { agentVersion: '1.70.0' })]);
      // WHEN deciding / THEN
      const decision = decide(fleet, undefined, updating, NOW);
      expect(decision.updatePlan).toMatchObject({ targets: [], blockedBy: '1 agent update(s) in progress' });
    },
  );

  it.each([
    ['Windows', false, { osType: 'windows' }, AMIS[AMI_NEW].name],
    ['ECS-optimized AL2 arm64', false, { cpuArchitecture: 'arm64' }, 'amzn2-ami-ecs-hvm-2.0.20250101-arm64-ebs'],
    ['Bottlerocket', false, {}, 'bottlerocket-aws-ecs-2-x86_64-v1.20.0-abc'],
    ['custom AMI', false, {}, 'my-company-base-2025'],
    ['AMI with unknown name', false, {}, undefined],
    ['ECS-optimized AL2 x86_64', true, {}, 'amzn2-ami-ecs-hvm-2.0.20250101-x86_64-ebs'],
    [
      'ECS-optimized AL2023 arm64',
      true,
      { cpuArchitecture: 'arm64' },
      'al2023-ami-ecs-hvm-2023.0.20250101-kernel-6.1-arm64',
    ],
  ] as const)('9. agent update support on %s: supported=%s', (_label, supported, overrides, amiName) => {
    // GIVEN one agent behind on an AMI of that family
    const behind = instance(1, { agentVersion: '1.80.0', amiId: 'ami-0ddd000000000000d', ...overrides });
    const amis = { ...AMIS, 'ami-0ddd000000000000d': { imageId: 'ami-0ddd000000000000d', name: amiName } };
    // WHEN deciding
    const decision = decide(snapshot([behind, instance(2)], undefined, amis), undefined, updating, NOW);
    // THEN it is a target only on supported AMIs; otherwise skipped with a reason
    expect(decision.updatePlan.targets.length).toBe(supported ? 1 : 0);
    expect(decision.updatePlan.skipped.length).toBe(supported ? 0 : 1);
  });

  it('10. agents behind the newest version are found with a numeric (semver) compare', () => {
    // GIVEN 1.9.0 vs 1.10.0 (a string compare would call 1.9.0 newer)
    const fleet = snapshot([instance(1, { agentVersion: '1.9.0' }), instance(2, { agentVersion: '1.10.0' })]);
    // WHEN deciding with updates enabled
    const decision = decide(fleet, undefined, updating, NOW);
    // THEN 1.10.0 is newest and the 1.9.0 agent is the one update target
    expect(decision.report.newestAgentVersion).toBe('1.10.0');
    expect(decision.report.agentsBehind.map((i) => i.agentVersion)).toEqual(['1.9.0']);
    expect(decision.updatePlan.targets.map((i) => i.ec2InstanceId)).toEqual([instance(1).ec2InstanceId]);
  });

  it('11. at most maxAgentUpdatesPerRun updates start, in a stable order; disabled means none', () => {
    // GIVEN four agents behind
    const fleet = snapshot([4, 3, 2, 1].map((n) => instance(n, { agentVersion: '1.80.0' })).concat(instance(9)));
    // WHEN deciding with max 2, and with updates disabled
    const two = decide(fleet, undefined, monitorConfig({ updateAgents: true, maxAgentUpdatesPerRun: 2 }), NOW);
    const off = decide(fleet, undefined, monitorConfig(), NOW);
    // THEN the first two by instance id; none when disabled
    expect(two.updatePlan.targets.map((i) => i.ec2InstanceId)).toEqual([
      instance(1).ec2InstanceId,
      instance(2).ec2InstanceId,
    ]);
    expect(off.updatePlan).toMatchObject({ targets: [], blockedBy: 'updateAgents is disabled' });
  });

  it('12. state unchanged → no notification', () => {
    // GIVEN a run that already reported one disconnected agent
    const fleet = snapshot([instance(1, { agentConnected: false }), instance(2)]);
    const first = decide(fleet, undefined, monitorConfig(), NOW);
    // WHEN the next run sees the same fleet
    const second = decide(fleet, first.nextState, monitorConfig(), NOW);
    // THEN nothing is sent and the fingerprints are identical
    expect(first.notifications).toHaveLength(1);
    expect(second.notifications).toEqual([]);
    expect(second.nextState.f).toEqual(first.nextState.f);
  });

  it('13. state changed → exactly one notification for the changed category', () => {
    // GIVEN disconnected {1} and drift already reported
    const before = decide(
      snapshot([instance(1, { agentConnected: false }), instance(2), instance(3, { amiId: AMI_OLD })]),
      undefined,
      monitorConfig(),
      NOW,
    );
    // WHEN instance 2 disconnects too
    const after = decide(
      snapshot([
        instance(1, { agentConnected: false }),
        instance(2, { agentConnected: false }),
        instance(3, { amiId: AMI_OLD }),
      ]),
      before.nextState,
      monitorConfig(),
      NOW,
    );
    // THEN one notification, about the disconnected set (now critical), with a new dedupe key
    expect(after.notifications).toHaveLength(1);
    expect(after.notifications[0].notification).toMatchObject({
      kind: 'agent.disconnected',
      title: '2 ACTIVE container agent(s) disconnected',
      severity: 'critical', // 2 of 3 instances: an outage, not a flaky instance
    });
    expect(after.notifications[0].notification.dedupeKey).not.toBe(before.notifications[0].notification.dedupeKey);
  });

  it('14. a resolved problem sends one info notification and clears its fingerprint', () => {
    // GIVEN an IMPAIRED instance was reported
    const before = decide(snapshot([instance(1, { healthStatus: 'IMPAIRED' })]), undefined, monitorConfig(), NOW);
    // WHEN it is healthy again
    const after = decide(snapshot([instance(1)]), before.nextState, monitorConfig(), NOW);
    // THEN
    expect(
      after.notifications.map((n) => [n.notification.kind, n.notification.severity, n.notification.title]),
    ).toEqual([['instance.impaired', 'info', 'No container instance IMPAIRED']]);
    expect(after.nextState.f).toEqual({});
  });

  it('15. a rollout replacing instances with the same AMI set does not page again', () => {
    // GIVEN drift {AMI_OLD} on 3 instances was reported
    const before = decide(
      snapshot([1, 2, 3].map((n) => instance(n, { amiId: AMI_OLD }))),
      undefined,
      monitorConfig(),
      NOW,
    );
    // WHEN one old instance was replaced by a new one
    const after = decide(
      snapshot([instance(1, { amiId: AMI_OLD }), instance(2, { amiId: AMI_OLD }), instance(4)]),
      before.nextState,
      monitorConfig(),
      NOW,
    );
    // THEN no notification (the drift's AMI set is unchanged)
    expect(before.notifications.map((n) => n.notification.kind)).toEqual(['ami.drift']);
    expect(after.notifications).toEqual([]);
  });

  it('16. an undelivered notification keeps the previous fingerprint so the next run retries', () => {
    // GIVEN a previous state with drift on web, and a new disconnected agent whose notification failed
    const previous: MonitorState = { v: 1, at: '2025-05-31T00:00:00.000Z', f: { 'drift:web': 'abc' } };
    const next: MonitorState = { v: 1, at: NOW.toISOString(), f: { disconnected: 'def' } };
    // WHEN merging with both categories undelivered
    const merged = stateAfterDelivery(previous, next, ['disconnected', 'drift:web']);
    // THEN neither change is recorded
    expect(merged.f).toEqual({ 'drift:web': 'abc' });
  });
});
