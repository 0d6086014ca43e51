import { defaultAvailabilityZone } from '../domain/availability-zone.js';
import type { Account } from '../domain/account.js';
import { DEFAULT_SUBNET_CIDR, type Subnet } from '../domain/subnet.js';
import { DEFAULT_VPC_CIDR, type Vpc } from '../domain/vpc.js';
import type { WriteOperation } from '../state/commit-queue.js';
import { emitDefaultGroup } from './new-resources.js';

/**
 * Creates what an account has in a region before its first request there (spec/semantics.md §1):
 * the Classic default group (classic accounts), or the default VPC with its default subnet and
 * default group (vpc-only accounts). Does nothing when the region is already initialised.
 */
export function initializeRegion(account: Account, region: string): WriteOperation<void> {
  return (tx) => {
    if (tx.view.regionState(account.accountId, region) !== undefined) return;
    if (account.platform === 'classic') {
      emitDefaultGroup(tx, account, region, undefined);
      tx.emit(account.accountId, region, {
        kind: 'RegionInitialized',
        regionState: { accountId: account.accountId, region },
      });
      return;
    }
    const vpc: Vpc = {
      vpcId: tx.ids.next('vpc'),
      ownerId: account.accountId,
      region,
      cidrBlock: DEFAULT_VPC_CIDR,
      isDefault: true,
      instanceTenancy: 'default',
      dhcpOptionsId: tx.ids.next('dopt'),
      tags: [],
      ordinal: tx.view.nextOrdinal(),
    };
    tx.emit(account.accountId, region, { kind: 'VpcCreated', vpc });
    // The default VPC's default subnet, where launches that name no subnet go (spec/api.md §5.14).
    const subnet: Subnet = {
      subnetId: tx.ids.next('subnet'),
      vpcId: vpc.vpcId,
      ownerId: account.accountId,
      region,
      cidrBlock: DEFAULT_SUBNET_CIDR,
      availabilityZone: defaultAvailabilityZone(region).zoneName,
      defaultForAz: true,
      tags: [],
      ordinal: tx.view.nextOrdinal(),
    };
    tx.emit(account.accountId, region, { kind: 'SubnetCreated', subnet });
    emitDefaultGroup(tx, account, region, vpc);
    tx.emit(account.accountId, region, {
      kind: 'RegionInitialized',
      regionState: { accountId: account.accountId, region, defaultVpcId: vpc.vpcId },
    });
  };
}
