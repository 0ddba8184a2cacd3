/**
 * EC2 API operations over the simulated instances and images (DescribeImages, DescribeInstances,
 * DescribeInstanceAttribute, CreateTags), with EC2's error codes for unknown ids.
 */
import type { Ec2 } from './ec2';
import { awsError } from './errors';
import type { Operation } from './fake-clients';

/** What the EC2 operations read: the simulated EC2, the virtual clock and the cluster name (user data). */
export interface Ec2ApiContext {
  readonly ec2: Ec2;
  readonly sim: { date(at?: number): Date };
  readonly clusterName: string;
}

export function ec2Operations(world: Ec2ApiContext): Record<string, Operation> {
  const shape = (id: string) => {
    const i = world.ec2.instances.get(id);
    if (!i) return undefined;
    const codes = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48 } as const;
    return {
      InstanceId: i.id,
      ImageId: i.imageId,
      InstanceType: 'm7i.large',
      LaunchTime: world.sim.date(i.launchTime),
      State: { Code: codes[i.state], Name: i.state },
      Tags: [...i.tags].map(([Key, Value]) => ({ Key, Value })),
    };
  };
  return {
    // The watcher filters by image-id (unknown AMIs are simply absent); ImageIds with an unknown id fail as in EC2.
    DescribeImages: (input) => {
      let ids = (input.ImageIds as string[] | undefined) ?? [];
      for (const filter of (input.Filters as { Name: string; Values: string[] }[] | undefined) ?? []) {
        if (filter.Name !== 'image-id')
          throw new Error(`[sim] EC2 DescribeImages filter ${filter.Name} is not simulated`);
        ids = [...ids, ...filter.Values];
      }
      const missing = ((input.ImageIds as string[] | undefined) ?? []).filter((id) => !world.ec2.images.has(id));
      if (missing.length > 0)
        throw awsError('EC2', 'InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`);
      const images = [...new Set(ids)].map((id) => world.ec2.images.get(id)).filter((i) => i !== undefined);
      return {
        Images: images.map((image) => ({
          ImageId: image.imageId,
          Name: image.name,
          CreationDate: world.sim.date(image.creationDate).toISOString(),
          State: 'available',
          Architecture: 'x86_64',
          ImageType: 'machine',
          Public: true,
          OwnerId: '591542846629',
        })),
      };
    },
    DescribeInstances: (input) => {
      let ids = (input.InstanceIds as string[] | undefined) ?? [];
      for (const filter of (input.Filters as { Name: string; Values: string[] }[] | undefined) ?? []) {
        if (filter.Name !== 'instance-id') throw new Error(`[sim] EC2 filter ${filter.Name} is not simulated`);
        ids = [...ids, ...filter.Values];
      }
      if (input.InstanceIds) {
        const missing = (input.InstanceIds as string[]).filter((id) => !world.ec2.instances.has(id));
        if (missing.length > 0) {
          throw awsError('EC2', 'InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
        }
      }
      const instances = ids.map(shape).filter((i) => i !== undefined);
      return { Reservations: instances.length > 0 ? [{ ReservationId: 'r-sim', Instances: instances }] : [] };
    },
    DescribeInstanceAttribute: (input) => {
      const id = String(input.InstanceId);
      if (!world.ec2.instances.has(id))
        throw awsError('EC2', 'InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
      const userData = Buffer.from(
        `#!/bin/bash\necho ECS_CLUSTER=${world.clusterName} >> /etc/ecs/ecs.config\n`,
      ).toString('base64');
      return { InstanceId: id, UserData: { Value: userData } };
    },
    CreateTags: (input) => {
      for (const id of (input.Resources as string[] | undefined) ?? []) {
        const instance = world.ec2.instances.get(id);
        for (const tag of (input.Tags as { Key: string; Value: string }[] | undefined) ?? [])
          instance?.tags.set(tag.Key, tag.Value);
      }
      return {};
    },
  };
}
