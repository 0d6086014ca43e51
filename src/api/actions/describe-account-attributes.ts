import { defaultVpcIdOf } from '../../service/target-group.js';
import { ec2Action } from '../action.js';
import { list, string, struct } from '../query-shape.js';
import { element, itemList } from '../xml/xml-text.js';
import { common } from './shared-shapes.js';

/**
 * DescribeAccountAttributes (spec/api.md §5.13): `supported-platforms` is `EC2`+`VPC` for classic
 * accounts and `VPC` for vpc-only ones; `default-vpc` is the ID or `none`.
 */
export const describeAccountAttributesAction = ec2Action(
  struct({ ...common, AttributeName: list(string) }),
  ({ view, context }, input) => {
    const attributes: Record<string, readonly string[]> = {
      'supported-platforms': context.account.platform === 'classic' ? ['EC2', 'VPC'] : ['VPC'],
      'default-vpc': [defaultVpcIdOf(view, context) ?? 'none'],
      'max-instances': ['20'],
      'vpc-max-security-groups-per-interface': [String(context.quotas.groupsPerInterface)],
      'max-elastic-ips': ['5'],
      'vpc-max-elastic-ips': ['5'],
    };
    const names = input.attributeName.length > 0 ? input.attributeName.filter((n) => Object.hasOwn(attributes, n)) : Object.keys(attributes);
    return itemList(
      'accountAttributeSet',
      names.map(
        (name) =>
          element('attributeName', name) +
          itemList('attributeValueSet', (attributes[name] ?? []).map((v) => element('attributeValue', v))),
      ),
    );
  },
);
