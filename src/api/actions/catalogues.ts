import { describeAvailabilityZones } from '../../service/describe-availability-zones.js';
import { describeImages } from '../../service/describe-images.js';
import { describeInstanceTypes } from '../../service/describe-instance-types.js';
import { ec2Action } from '../action.js';
import { boolean, list, string, struct } from '../query-shape.js';
import { availabilityZoneXml, imageXml, instanceTypeXml } from '../xml/catalogue-xml.js';
import { element, itemList } from '../xml/xml-text.js';
import { common, filterShape, filtersFromWire, pageFromWire, paging } from './shared-shapes.js';

/** DescribeInstanceTypes: the built-in catalogue of instance types (issue 13). */
export const describeInstanceTypesAction = ec2Action(
  struct({ ...common, ...paging, InstanceType: list(string), Filter: list(filterShape), IncludeUnsupportedInRegion: boolean }),
  (_environment, input) => {
    const page = describeInstanceTypes({ instanceTypes: input.instanceType, filters: filtersFromWire(input.filter), ...pageFromWire(input) });
    return itemList('instanceTypeSet', page.items.map(instanceTypeXml)) + element('nextToken', page.nextToken);
  },
);

/** DescribeAvailabilityZones: the caller's region's zones (issue 13). */
export const describeAvailabilityZonesAction = ec2Action(
  struct({ ...common, ZoneName: list(string), ZoneId: list(string), AllAvailabilityZones: boolean, Filter: list(filterShape) }),
  ({ context }, input) =>
    itemList(
      'availabilityZoneInfo',
      describeAvailabilityZones(context, { zoneNames: input.zoneName, zoneIds: input.zoneId, filters: filtersFromWire(input.filter) }).map(availabilityZoneXml),
    ),
);

/** DescribeImages: the public catalogue and the images the caller's launches used (issue 13). */
export const describeImagesAction = ec2Action(
  struct({
    ...common,
    ...paging,
    ImageId: list(string),
    Owner: list(string),
    ExecutableBy: list(string),
    Filter: list(filterShape),
    IncludeDeprecated: boolean,
    IncludeDisabled: boolean,
  }),
  ({ view, context }, input) => {
    const page = describeImages(view, context, {
      imageIds: input.imageId,
      owners: input.owner,
      filters: filtersFromWire(input.filter),
      ...pageFromWire(input),
    });
    return itemList('imagesSet', page.items.map(imageXml)) + element('nextToken', page.nextToken);
  },
);
