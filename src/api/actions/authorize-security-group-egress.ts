import { authorizeSecurityGroupEgress } from '../../service/authorize-security-group-egress.js';
import { authorizeAction } from './authorize-permissions.js';

/** AuthorizeSecurityGroupEgress (spec/api.md §5.5). */
export const authorizeSecurityGroupEgressAction = authorizeAction(authorizeSecurityGroupEgress, 'egress');
