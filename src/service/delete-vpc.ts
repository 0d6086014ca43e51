import { vpcHasDependencies } from '../domain/ec2-errors.js';
import { isDefaultGroup } from '../domain/security-group.js';
import type { WriteOperation } from '../state/commit-queue.js';
import { ownVpc } from './own-vpc.js';
import type { RequestContext } from './request-context.js';

/**
 * Deletes a VPC with its default group; refused while other groups or any subnet remain (spec/semantics.md §7,
 * spec/api.md §5.13). Deleting the default VPC leaves the account with none.
 */
export function deleteVpc(context: RequestContext, vpcId: string | undefined): WriteOperation<void> {
  return (tx) => {
    const { view } = tx;
    const vpc = ownVpc(view, context, vpcId);
    const groups = [...view.groupsInRegion(vpc.ownerId, vpc.region)].filter((g) => g.vpcId === vpc.vpcId);
    if (groups.some((g) => !isDefaultGroup(g))) throw vpcHasDependencies(vpc.vpcId);
    // Subnets (and so instances) block deletion too, as in AWS (spec/api.md §5.13).
    for (const subnet of view.subnets.values()) if (subnet.vpcId === vpc.vpcId) throw vpcHasDependencies(vpc.vpcId);
    for (const group of groups) tx.emit(vpc.ownerId, vpc.region, { kind: 'SecurityGroupDeleted', groupId: group.groupId });
    tx.emit(vpc.ownerId, vpc.region, { kind: 'VpcDeleted', vpcId: vpc.vpcId });
  };
}
