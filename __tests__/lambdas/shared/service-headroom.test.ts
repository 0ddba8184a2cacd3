import type { Service } from '@aws-sdk/client-ecs';
import fc from 'fast-check';
import {
  DescribedService,
  HeadroomVerdict,
  ServiceShape,
  serviceHeadroom,
  serviceShapeOf,
  servicesWithoutHeadroom,
} from '../../../lambdas/shared/service-headroom';

const replica = (extra: Partial<ServiceShape> = {}): ServiceShape => ({ name: 'web', desiredCount: 2, ...extra });

describe('serviceHeadroom', () => {
  // Numbers from "Draining Amazon ECS container instances" and API_DeploymentConfiguration: maximum rounded down,
  // minimum rounded up; defaults 100 % / 200 %.
  const table: [string, Partial<ServiceShape>, HeadroomVerdict, number, number][] = [
    ['the ECS defaults (100 / 200) with one task', { desiredCount: 1 }, 'drainable', 1, 2],
    ['desired 1, min 100, max 150 (the issue example)', { desiredCount: 1, maximumPercent: 150 }, 'no-headroom', 1, 1],
    ['desired 4, min 100, max 100', { desiredCount: 4, maximumPercent: 100 }, 'no-headroom', 4, 4],
    [
      'desired 4, min 50, max 100',
      { desiredCount: 4, minimumHealthyPercent: 50, maximumPercent: 100 },
      'drainable',
      2,
      4,
    ],
    [
      'desired 1, min 50, max 100 (min rounds up to 1)',
      { desiredCount: 1, minimumHealthyPercent: 50, maximumPercent: 100 },
      'no-headroom',
      1,
      1,
    ],
    [
      'desired 1, min 0, max 100',
      { desiredCount: 1, minimumHealthyPercent: 0, maximumPercent: 100 },
      'drainable',
      0,
      1,
    ],
    [
      'desired 3, min 100, max 120 (max rounds down to 3)',
      { desiredCount: 3, maximumPercent: 120 },
      'no-headroom',
      3,
      3,
    ],
    ['desired 3, min 100, max 134', { desiredCount: 3, maximumPercent: 134 }, 'drainable', 3, 4],
    ['desired 10, min 100, max 110', { desiredCount: 10, maximumPercent: 110 }, 'drainable', 10, 11],
    ['CODE_DEPLOY with the defaults', { deploymentController: 'CODE_DEPLOY', desiredCount: 2 }, 'drainable', 2, 4],
    ['CODE_DEPLOY without headroom', { deploymentController: 'CODE_DEPLOY', maximumPercent: 100 }, 'no-headroom', 2, 2],
    ['EXTERNAL without headroom', { deploymentController: 'EXTERNAL', maximumPercent: 100 }, 'no-headroom', 2, 2],
    [
      'EXTERNAL with min 50',
      { deploymentController: 'EXTERNAL', minimumHealthyPercent: 50, maximumPercent: 100 },
      'drainable',
      1,
      2,
    ],
    [
      'a daemon service (max 100 by rule)',
      { schedulingStrategy: 'DAEMON', maximumPercent: 100, minimumHealthyPercent: 100 },
      'not-applicable',
      2,
      2,
    ],
    ['a Fargate service', { launchType: 'FARGATE', maximumPercent: 100 }, 'not-applicable', 2, 2],
    [
      'a service on FARGATE_SPOT capacity',
      { capacityProviders: ['FARGATE_SPOT'], maximumPercent: 100 },
      'not-applicable',
      2,
      2,
    ],
    [
      'a service on an EC2 capacity provider',
      { capacityProviders: ['asg-cp', 'FARGATE'], maximumPercent: 100 },
      'no-headroom',
      2,
      2,
    ],
    ['a service being deleted', { status: 'DRAINING', maximumPercent: 100 }, 'not-applicable', 2, 2],
    ['a service scaled to zero', { desiredCount: 0, maximumPercent: 100 }, 'not-applicable', 0, 0],
  ];

  it.each(table)('%s', (_name, extra, verdict, minimumHealthyTasks, maximumTasks) => {
    const headroom = serviceHeadroom(replica(extra));
    expect(headroom.verdict).toBe(verdict);
    expect(headroom.minimumHealthyTasks).toBe(minimumHealthyTasks);
    expect(headroom.maximumTasks).toBe(maximumTasks);
    expect(headroom.fix !== undefined).toBe(verdict === 'no-headroom');
  });

  it('names the numbers and a fix for a service without headroom', () => {
    const headroom = serviceHeadroom({ name: 'api', desiredCount: 1, minimumHealthyPercent: 100, maximumPercent: 150 });
    expect(headroom).toMatchObject({
      service: 'api',
      desiredCount: 1,
      minimumHealthyPercent: 100,
      maximumPercent: 150,
    });
    expect(headroom.fix).toMatchObject({ maximumPercentAtLeast: 200, minimumHealthyPercentAtMost: 0 });
    expect(headroom.reason).toContain('desired 1');
    expect(headroom.fix?.text).toContain('maximumPercent=200');
  });

  it('proposes the smallest maximumPercent and the largest minimumHealthyPercent that give headroom', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 0, max: 100 }), (desired, min) => {
        const blocked = serviceHeadroom({
          name: 's',
          desiredCount: desired,
          minimumHealthyPercent: 100,
          maximumPercent: 100,
        });
        const fix = blocked.fix!;
        const withMax = (max: number) => serviceHeadroom({ name: 's', desiredCount: desired, maximumPercent: max });
        const withMin = (m: number) =>
          serviceHeadroom({ name: 's', desiredCount: desired, minimumHealthyPercent: m, maximumPercent: 100 });
        expect(withMax(fix.maximumPercentAtLeast).verdict).toBe('drainable');
        expect(withMax(fix.maximumPercentAtLeast - 1).verdict).toBe('no-headroom');
        if (fix.minimumHealthyPercentAtMost >= 0) {
          expect(withMin(fix.minimumHealthyPercentAtMost).verdict).toBe('drainable');
        }
        expect(withMin(fix.minimumHealthyPercentAtMost + 1).verdict).toBe('no-headroom');
        // And the verdict agrees with the definition for any minimum.
        const any = withMin(min);
        expect(any.verdict === 'drainable').toBe(Math.ceil((desired * min) / 100) < desired);
      }),
    );
  });

  it('lists only the services without headroom, by name', () => {
    const found = servicesWithoutHeadroom([
      replica({ name: 'zeta', maximumPercent: 100 }),
      replica({ name: 'ok' }),
      replica({ name: 'alpha', desiredCount: 1, maximumPercent: 150 }),
      replica({ name: 'logs', schedulingStrategy: 'DAEMON', maximumPercent: 100 }),
    ]);
    expect(found.map((headroom) => headroom.service)).toEqual(['alpha', 'zeta']);
  });
});

describe('serviceShapeOf', () => {
  it('reads the DescribeServices fields the predicate needs', () => {
    // Shape of a Service in the DescribeServices response (API_Service.html), trimmed to the fields read.
    const described: DescribedService = {
      serviceName: 'web',
      status: 'ACTIVE',
      schedulingStrategy: 'REPLICA',
      desiredCount: 1,
      deploymentController: { type: 'CODE_DEPLOY' },
      deploymentConfiguration: { minimumHealthyPercent: 100, maximumPercent: 150 },
      capacityProviderStrategy: [{ capacityProvider: 'general' }],
    };
    expect(serviceShapeOf(described)).toEqual({
      name: 'web',
      status: 'ACTIVE',
      schedulingStrategy: 'REPLICA',
      deploymentController: 'CODE_DEPLOY',
      launchType: undefined,
      capacityProviders: ['general'],
      desiredCount: 1,
      minimumHealthyPercent: 100,
      maximumPercent: 150,
    });
    expect(serviceHeadroom(serviceShapeOf(described)).verdict).toBe('no-headroom');
  });

  it('accepts the SDK Service type as it is', () => {
    const fromSdk: Service = { serviceName: 'web', desiredCount: 2, deploymentConfiguration: { maximumPercent: 100 } };
    const described: DescribedService = fromSdk;
    expect(serviceHeadroom(serviceShapeOf(described)).verdict).toBe('no-headroom');
  });

  it('falls back to the ECS defaults when the deployment configuration is not reported', () => {
    const headroom = serviceHeadroom(serviceShapeOf({ serviceName: 'web', desiredCount: 3 }));
    expect(headroom).toMatchObject({ minimumHealthyPercent: 100, maximumPercent: 200, verdict: 'drainable' });
  });
});
