import { revokeSecurityGroupEgress } from '../../service/revoke-security-group-egress.js';
import { revokeAction } from './revoke-permissions.js';

/** RevokeSecurityGroupEgress (spec/api.md §5.7). */
export const revokeSecurityGroupEgressAction = revokeAction(revokeSecurityGroupEgress, 'egress');
