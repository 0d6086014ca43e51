import { authorizeSecurityGroupIngress } from '../../service/authorize-security-group-ingress.js';
import { authorizeAction } from './authorize-permissions.js';

/** AuthorizeSecurityGroupIngress (spec/api.md §5.4). */
export const authorizeSecurityGroupIngressAction = authorizeAction(authorizeSecurityGroupIngress, 'ingress');
