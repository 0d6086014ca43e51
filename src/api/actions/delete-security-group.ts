import { deleteSecurityGroup } from '../../service/delete-security-group.js';
import { ec2WriteAction } from '../action.js';
import { string, struct } from '../query-shape.js';
import { element } from '../xml/xml-text.js';
import { common } from './shared-shapes.js';

/** DeleteSecurityGroup (spec/api.md §5.2): `return`, plus `groupId` from 2016-11-15. */
export const deleteSecurityGroupAction = ec2WriteAction(
  struct({ ...common, GroupId: string, GroupName: string }),
  async ({ queue, context, version }, input) => {
    const group = await queue.submit(
      deleteSecurityGroup(context, {
        ...(input.groupId === undefined ? {} : { groupId: input.groupId }),
        ...(input.groupName === undefined ? {} : { groupName: input.groupName }),
      }),
    );
    return element('return', true) + (version.isModern ? element('groupId', group.groupId) : '');
  },
);
