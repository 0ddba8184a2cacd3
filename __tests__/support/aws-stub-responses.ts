/**
 * Response builders of the loopback AWS stub: ECS cluster descriptions and the EC2 Query-protocol XML for images and
 * availability zones.
 */
import type { StubEcsCluster, StubImage } from './aws-stub-server';

export const STUB_ACCOUNT_ID = '123456789012';

export function clusterArn(name: string, region: string): string {
  return name.startsWith('arn:') ? name : `arn:aws:ecs:${region}:${STUB_ACCOUNT_ID}:cluster/${name}`;
}

export function describeCluster(cluster: StubEcsCluster, region: string): Record<string, unknown> {
  return {
    clusterArn: clusterArn(cluster.name, region),
    clusterName: cluster.name,
    status: cluster.status ?? 'ACTIVE',
    registeredContainerInstancesCount: 0,
    runningTasksCount: 0,
    pendingTasksCount: 0,
    activeServicesCount: 0,
    statistics: [],
    tags: [],
    settings: [{ name: 'containerInsights', value: cluster.containerInsights ?? 'disabled' }],
    capacityProviders: cluster.capacityProviders ?? [],
    defaultCapacityProviderStrategy: [],
  };
}

/** EC2 Query filters: `ImageId.N`, `Owner.N` and `Filter.N.Name`/`Filter.N.Value.M` (image-id, name, architecture). */
export function filterImages(images: readonly StubImage[], params: Record<string, unknown>): StubImage[] {
  const listOf = (prefix: string): string[] =>
    Object.entries(params)
      .filter(([k]) => new RegExp(`^${prefix.replace(/\./g, '\\.')}\\.\\d+$`).test(k))
      .map(([, v]) => String(v));
  const filters = new Map<string, string[]>();
  for (const [key, value] of Object.entries(params)) {
    const m = /^Filter\.(\d+)\.Name$/.exec(key);
    if (m) filters.set(String(value), listOf(`Filter.${m[1]}.Value`));
  }
  const ids = listOf('ImageId');
  const owners = listOf('Owner');
  const matches = (values: string[] | undefined, actual: string): boolean =>
    !values ||
    values.some((v) =>
      new RegExp(
        `^${v
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      ).test(actual),
    );
  return images.filter(
    (img) =>
      (ids.length === 0 || ids.includes(img.imageId)) &&
      (owners.length === 0 || owners.some((o) => o === 'amazon' || o === (img.ownerId ?? '591542846629'))) &&
      matches(filters.get('image-id'), img.imageId) &&
      matches(filters.get('name'), img.name) &&
      matches(filters.get('architecture'), img.architecture ?? 'x86_64'),
  );
}

export function imageXml(img: StubImage): string {
  const root = img.rootDeviceName ?? '/dev/xvda';
  return (
    `<item><imageId>${img.imageId}</imageId><imageLocation>amazon/${img.name}</imageLocation>` +
    `<imageState>available</imageState><imageOwnerId>${img.ownerId ?? '591542846629'}</imageOwnerId>` +
    `<creationDate>${img.creationDate}</creationDate><isPublic>true</isPublic>` +
    `<architecture>${img.architecture ?? 'x86_64'}</architecture><imageType>machine</imageType>` +
    `<imageOwnerAlias>amazon</imageOwnerAlias><name>${escapeXml(img.name)}</name>` +
    `<description>Amazon Linux AMI 2023 x86_64 ECS HVM EBS</description>` +
    `<rootDeviceType>ebs</rootDeviceType><rootDeviceName>${root}</rootDeviceName>` +
    `<blockDeviceMapping><item><deviceName>${root}</deviceName><ebs><snapshotId>snap-0123456789abcdef0</snapshotId>` +
    `<volumeSize>${img.rootVolumeSize ?? 30}</volumeSize><deleteOnTermination>true</deleteOnTermination>` +
    `<volumeType>gp3</volumeType><iops>3000</iops><throughput>125</throughput>` +
    `<encrypted>false</encrypted></ebs></item>` +
    `</blockDeviceMapping><virtualizationType>hvm</virtualizationType><hypervisor>xen</hypervisor>` +
    `<enaSupport>true</enaSupport><sriovNetSupport>simple</sriovNetSupport><bootMode>uefi-preferred</bootMode>` +
    `<platformDetails>Linux/UNIX</platformDetails><usageOperation>RunInstances</usageOperation>` +
    `<imdsSupport>v2.0</imdsSupport></item>`
  );
}

export function azXml(region: string, suffix: string, index: number): string {
  const zoneId = `${region.replace(/-(\w)\w*-(\d)$/, '$1$2')}-az${index}`; // eu-west-1 → euw1-az1
  return (
    `<item><zoneName>${region}${suffix}</zoneName><zoneId>${zoneId}</zoneId><zoneState>available</zoneState>` +
    `<regionName>${region}</regionName><groupName>${region}</groupName>` +
    `<networkBorderGroup>${region}</networkBorderGroup>` +
    `<optInStatus>opt-in-not-required</optInStatus><zoneType>availability-zone</zoneType><messages/></item>`
  );
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
