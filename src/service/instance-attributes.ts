import {
  creditSpecificationUnsupported,
  instanceNotStopped,
  invalidInstanceType,
  instanceNotModifiable,
  invalidParameterValueFor,
  missingParameter,
  multipleInstanceAttributes,
  networkInterfaceIdMalformed,
  networkInterfaceNotFound,
  unknownInstanceAttribute,
} from '../domain/ec2-errors.js';
import { isResourceId } from '../domain/ids.js';
import { attributesOf, checkedShutdownBehavior, INSTANCE_ATTRIBUTE_NAMES, type InstanceAttributeName, type InstanceAttributes } from '../domain/instance-attributes.js';
import { findInstanceType } from '../domain/instance-type.js';
import { primaryNetworkInterfaceId, type Instance } from '../domain/instance.js';
import type { WriteOperation } from '../state/commit-queue.js';
import type { ReadView } from '../state/view.js';
import { compileFilters, type Filter } from './filters.js';
import { modifyInstanceGroups, ownInstance } from './instances.js';
import { paginate, type Page, type PageRequest } from './pagination.js';
import type { RequestContext } from './request-context.js';

/**
 * DescribeInstanceAttribute: the caller's instance and the attribute asked for, checked. Throws
 * MissingParameter, InvalidInstanceID.*, or InvalidParameterValue for a name EC2 does not have.
 */
export function describeInstanceAttribute(
  view: ReadView,
  context: RequestContext,
  request: { readonly instanceId?: string; readonly attribute?: string },
): { readonly instance: Instance; readonly attribute: InstanceAttributeName } {
  if (request.instanceId === undefined) throw missingParameter('InstanceId');
  if (request.attribute === undefined) throw missingParameter('Attribute');
  const instance = ownInstance(view, context, request.instanceId);
  const attribute = INSTANCE_ATTRIBUTE_NAMES.find((a) => a === request.attribute);
  if (attribute === undefined) throw unknownInstanceAttribute(request.attribute);
  return { instance, attribute };
}

/** One attribute change as ModifyInstanceAttribute names it: `X.Value`, or `Attribute` + `Value`. */
export interface InstanceAttributeChange {
  readonly attribute: string;
  readonly value: string;
}

// The attributes EC2 changes only on a stopped instance (EC2 User Guide, "Change the instance type";
// the same holds for user data, EBS optimization, kernel, RAM disk and the network drivers).
const STOPPED_ONLY: ReadonlySet<string> = new Set(['instanceType', 'userData', 'ebsOptimized', 'kernel', 'ramdisk', 'sriovNetSupport', 'enaSupport']);
// The attributes ModifyInstanceAttribute can change besides `groupSet` (botocore request members).
const MODIFIABLE: ReadonlySet<string> = new Set([...STOPPED_ONLY, 'disableApiTermination', 'disableApiStop', 'instanceInitiatedShutdownBehavior', 'sourceDestCheck']);

/**
 * ModifyInstanceAttribute: one attribute per call, as EC2 takes it — `GroupId.N` (the primary
 * interface's groups, service/instances.ts), or one of the `X.Value` forms, or `Attribute` with
 * `Value`. More than one → InvalidParameterCombination; none → MissingParameter. Attributes that
 * EC2 changes only on a stopped instance → IncorrectInstanceState (Stockade's instances run until
 * terminated). Booleans are `true`/`false`; the shutdown behaviour `stop`/`terminate`.
 */
export function modifyInstanceAttribute(
  context: RequestContext,
  instanceId: string | undefined,
  groupIds: readonly string[],
  changes: readonly InstanceAttributeChange[],
): WriteOperation<void> {
  return (tx) => {
    if (instanceId === undefined) throw missingParameter('InstanceId');
    const named = [...(groupIds.length > 0 ? ['groupSet'] : []), ...changes.map((c) => c.attribute)];
    if (named.length > 1) throw multipleInstanceAttributes(named);
    const [change] = changes;
    if (change === undefined) return modifyInstanceGroups(context, instanceId, groupIds)(tx);
    const instance = ownInstance(tx.view, context, instanceId);
    if (!MODIFIABLE.has(change.attribute)) throw unknownInstanceAttribute(change.attribute);
    if (instance.state === 'terminated') throw instanceNotModifiable(instanceId);
    if (STOPPED_ONLY.has(change.attribute) && instance.state !== 'stopped') throw instanceNotStopped(instanceId);
    const before = attributesOf(instance);
    let attributes: InstanceAttributes = before;
    let instanceType = instance.instanceType;
    switch (change.attribute) {
      case 'disableApiTermination':
        attributes = { ...before, disableApiTermination: booleanValue(change) };
        break;
      case 'disableApiStop':
        attributes = { ...before, disableApiStop: booleanValue(change) };
        break;
      case 'sourceDestCheck':
        attributes = { ...before, sourceDestCheck: booleanValue(change) };
        break;
      case 'instanceInitiatedShutdownBehavior':
        attributes = { ...before, instanceInitiatedShutdownBehavior: checkedShutdownBehavior(change.value) };
        break;
      case 'ebsOptimized':
        attributes = { ...before, ebsOptimized: booleanValue(change) };
        break;
      case 'userData': {
        const { userData: _old, ...rest } = before;
        attributes = change.value === '' ? rest : { ...rest, userData: change.value };
        break;
      }
      case 'instanceType': {
        const type = findInstanceType(change.value);
        if (type === undefined) throw invalidInstanceType(change.value);
        instanceType = type.instanceType;
        const { cpuCredits, ...rest } = before;
        const credits = type.defaultCpuCredits === undefined ? undefined : (cpuCredits ?? type.defaultCpuCredits);
        attributes = credits === undefined ? rest : { ...rest, cpuCredits: credits };
        break;
      }
      default:
        // kernel, ramdisk, sriovNetSupport, enaSupport: refused above, as the instance runs.
        throw instanceNotStopped(instanceId);
    }
    tx.emit(instance.ownerId, instance.region, { kind: 'InstanceAttributesModified', instanceId, instanceType, attributes });
  };
}

function booleanValue(change: InstanceAttributeChange): boolean {
  if (change.value === 'true') return true;
  if (change.value === 'false') return false;
  throw invalidParameterValueFor(change.attribute, change.value, 'Expected true or false.');
}

/**
 * ModifyNetworkInterfaceAttribute on the primary interface of a VPC instance (the only interfaces
 * there are, service/network-interfaces.ts): `SecurityGroupId.N` replaces the instance's groups, as
 * ModifyInstanceAttribute's `GroupId.N` does (Terraform's aws_instance changes its groups this way);
 * `SourceDestCheck.Value` sets the instance's check. One of them per call.
 */
export function modifyNetworkInterfaceAttribute(
  context: RequestContext,
  request: { readonly networkInterfaceId?: string; readonly groupIds: readonly string[]; readonly sourceDestCheck?: boolean },
): WriteOperation<void> {
  return (tx) => {
    if (request.networkInterfaceId === undefined) throw missingParameter('NetworkInterfaceId');
    const id = request.networkInterfaceId;
    if (!isResourceId('eni', id)) throw networkInterfaceIdMalformed(id);
    const instance = [...tx.view.instances.values()].find(
      (i) => i.vpcId !== undefined && i.state !== 'terminated' && i.ownerId === context.account.accountId && i.region === context.region && primaryNetworkInterfaceId(i) === id,
    );
    if (instance === undefined) throw networkInterfaceNotFound(id);
    const changes = request.sourceDestCheck === undefined ? [] : [{ attribute: 'sourceDestCheck', value: String(request.sourceDestCheck) }];
    if (changes.length === 0 && request.groupIds.length === 0) throw missingParameter('SecurityGroupId');
    modifyInstanceAttribute(context, instance.instanceId, request.groupIds, changes)(tx);
  };
}

/** One row of DescribeInstanceCreditSpecifications. */
export interface InstanceCreditSpecification {
  readonly instanceId: string;
  readonly cpuCredits: 'standard' | 'unlimited';
}

/**
 * DescribeInstanceCreditSpecifications: the credit option of the caller's burstable instances that
 * are not terminated (filter `instance-id`). Named instances of other types → UnsupportedOperation.
 */
export function describeInstanceCreditSpecifications(
  view: ReadView,
  context: RequestContext,
  request: PageRequest & { readonly instanceIds: readonly string[]; readonly filters: readonly Filter[] },
): Page<InstanceCreditSpecification> {
  const creditOf = (i: Instance): InstanceCreditSpecification | undefined => {
    const credits = attributesOf(i).cpuCredits ?? findInstanceType(i.instanceType)?.defaultCpuCredits;
    return credits === undefined ? undefined : { instanceId: i.instanceId, cpuCredits: credits };
  };
  let rows: InstanceCreditSpecification[];
  if (request.instanceIds.length > 0) {
    rows = [...new Set(request.instanceIds)].map((id) => {
      const row = creditOf(ownInstance(view, context, id));
      if (row === undefined) throw creditSpecificationUnsupported(id);
      return row;
    });
  } else {
    rows = [...view.instances.values()]
      .filter((i) => i.ownerId === context.account.accountId && i.region === context.region && i.state !== 'terminated')
      .sort((a, b) => a.ordinal - b.ordinal)
      .flatMap((i) => creditOf(i) ?? []);
  }
  const matches = compileFilters<InstanceCreditSpecification>(request.filters, { 'instance-id': (r) => [r.instanceId] }, undefined);
  return paginate(rows.filter(matches), request, { f: request.filters, i: request.instanceIds });
}
