import { revokeSecurityGroupIngress } from '../../service/revoke-security-group-ingress.js';
import { revokeAction } from './revoke-permissions.js';

/** RevokeSecurityGroupIngress (spec/api.md §5.6). */
export const revokeSecurityGroupIngressAction = revokeAction(revokeSecurityGroupIngress, 'ingress');
