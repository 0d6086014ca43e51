import { describeSecurityGroups } from '../../service/describe-security-groups.js';
import { ec2Action } from '../action.js';
import { list, string, struct } from '../query-shape.js';
import { element } from '../xml/xml-text.js';
import { common, filterShape, filtersFromWire, pageFromWire, paging } from './shared-shapes.js';

/** DescribeSecurityGroups (spec/api.md §5.3). Items come from the rendered-XML cache. */
export const describeSecurityGroupsAction = ec2Action(
  struct({ ...common, ...paging, GroupId: list(string), GroupName: list(string), Filter: list(filterShape) }),
  ({ view, context, version, groupXml }, input) => {
    const everything =
      input.groupId.length === 0 && input.groupName.length === 0 && input.filter.length === 0 && input.maxResults === undefined && input.nextToken === undefined;
    // The most common call, describe everything, is served as cached bytes (security-group-xml-cache.ts).
    if (everything) return [groupXml.regionInfo(view, context.account.accountId, context.region, version)];
    const page = describeSecurityGroups(view, context, {
      groupIds: input.groupId,
      groupNames: input.groupName,
      filters: filtersFromWire(input.filter),
      ...pageFromWire(input),
    });
    let items = '';
    for (const group of page.items) items += `<item>${groupXml.get(view, group, version)}</item>`;
    const info = items === '' ? '<securityGroupInfo/>' : `<securityGroupInfo>${items}</securityGroupInfo>`;
    return info + (version.isModern ? element('nextToken', page.nextToken) : '');
  },
);
