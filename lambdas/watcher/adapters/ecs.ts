/**
 * ECS reads of the watcher: every service of the cluster (ListServices, 100 per page; DescribeServices, 10 names per
 * call — the API's limits), for the headroom check before a refresh. Throttling → RetryLaterError.
 */
import { DescribeServicesCommand, ListServicesCommand } from '@aws-sdk/client-ecs';
import type { SendClient } from '../../shared/aws-client';
import { callAws } from '../../shared/aws-errors';
import { chunk } from '../../shared/collections';
import type { DescribedService } from '../../shared/service-headroom';

/** DescribeServices accepts at most 10 services per call (ECS API Reference). */
export const SERVICES_PER_DESCRIBE = 10;

export async function describeClusterServices(ecs: SendClient, cluster: string): Promise<DescribedService[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callAws('ListServices', () =>
      ecs.send(new ListServicesCommand({ cluster, maxResults: 100, nextToken })),
    );
    arns.push(...((page.serviceArns ?? []) as string[]));
    nextToken = page.nextToken;
  } while (nextToken);
  const services: DescribedService[] = [];
  for (const batch of chunk(arns, SERVICES_PER_DESCRIBE)) {
    const page = await callAws('DescribeServices', () =>
      ecs.send(new DescribeServicesCommand({ cluster, services: batch })),
    );
    services.push(...((page.services ?? []) as DescribedService[]));
  }
  return services;
}
