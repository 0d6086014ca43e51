import { imageIdMalformed, imageNotFound } from '../domain/ec2-errors.js';
import { launchedImage, publicImagesOf, type Image } from '../domain/image.js';
import type { ReadView } from '../state/view.js';
import { compileFilters, type Filter } from './filters.js';
import { paginate, type Page, type PageRequest } from './pagination.js';
import type { RequestContext } from './request-context.js';

/**
 * The images the caller can see in its region: the public catalogue (domain/image.ts), then a
 * stand-in for each other AMI ID its launches used, in order of first launch.
 */
function visibleImages(view: ReadView, context: RequestContext): Image[] {
  const images = [...publicImagesOf(context.region)];
  const known = new Set(images.map((i) => i.imageId));
  const launches = [...view.instances.values()]
    .filter((i) => i.ownerId === context.account.accountId && i.region === context.region)
    .sort((a, b) => a.ordinal - b.ordinal);
  for (const instance of launches) {
    if (known.has(instance.imageId)) continue;
    known.add(instance.imageId);
    images.push(launchedImage(instance.imageId, instance.ownerId, instance.launchTime));
  }
  return images;
}

/**
 * DescribeImages (issue 13): by ID (each must be visible: else InvalidAMIID.NotFound, or
 * .Malformed for an ID that is not `ami-…`), by owner (`self`, `amazon`, or account IDs), with
 * EC2's filters. The catalogue carries no deprecation dates (they would make the answer depend on
 * the clock), so `IncludeDeprecated` and `IncludeDisabled` change nothing.
 */
export function describeImages(
  view: ReadView,
  context: RequestContext,
  request: PageRequest & {
    readonly imageIds: readonly string[];
    readonly owners: readonly string[];
    readonly filters: readonly Filter[];
  },
): Page<Image> {
  const all = visibleImages(view, context);
  let images = all;
  if (request.imageIds.length > 0) {
    images = [...new Set(request.imageIds)].map((id) => {
      if (!/^ami-[0-9a-f]+$/.test(id)) throw imageIdMalformed(id);
      const image = all.find((i) => i.imageId === id);
      if (image === undefined) throw imageNotFound(id);
      return image;
    });
  }
  if (request.owners.length > 0) {
    const accountId = context.account.accountId;
    images = images.filter((i) => request.owners.some((o) => o === i.ownerId || (o === 'self' && i.ownerId === accountId) || (o === i.imageOwnerAlias && o !== undefined)));
  }
  const matches = compileFilters<Image>(
    request.filters,
    {
      'image-id': (i) => [i.imageId],
      name: (i) => [i.name],
      description: (i) => [i.description],
      'owner-id': (i) => [i.ownerId],
      'owner-alias': (i) => [i.imageOwnerAlias],
      architecture: (i) => [i.architecture],
      'creation-date': (i) => [i.creationDate],
      'image-type': () => ['machine'],
      'is-public': (i) => [String(i.isPublic)],
      platform: (i) => [i.platform],
      'platform-details': (i) => [i.platformDetails],
      'usage-operation': (i) => [i.usageOperation],
      'root-device-name': (i) => [i.rootDeviceName],
      'root-device-type': () => ['ebs'],
      state: () => ['available'],
      'virtualization-type': () => ['hvm'],
      hypervisor: () => ['xen'],
      'ena-support': () => ['true'],
      'sriov-net-support': () => ['simple'],
      'boot-mode': (i) => [i.bootMode],
      'manifest-location': (i) => [i.imageLocation],
      'block-device-mapping.device-name': (i) => [i.rootDeviceName],
      'block-device-mapping.snapshot-id': (i) => [i.rootSnapshotId],
      'block-device-mapping.volume-size': (i) => [String(i.rootVolumeSizeGiB)],
      'block-device-mapping.volume-type': () => ['gp3'],
      'block-device-mapping.delete-on-termination': () => ['true'],
      'block-device-mapping.encrypted': () => ['false'],
    },
    () => [],
  );
  return paginate(images.filter(matches), request, { f: request.filters, i: request.imageIds, o: request.owners }, { min: 5, max: 1000 });
}
