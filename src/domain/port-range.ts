import {
  icmpOutOfRange,
  icmpPortsRequired,
  invalidPortRange,
  portOutOfRange,
} from './ec2-errors.js';
import { hasIcmpTypeCode, hasPortRange, type IpProtocol } from './protocol.js';

/**
 * A rule's port spec: a port range for tcp/udp, an ICMP type and code for icmp/icmpv6 (where -1
 * means all), and nothing for every other protocol (spec/semantics.md §3.2).
 */
export interface PortSpec {
  readonly fromPort?: number;
  readonly toPort?: number;
}

/**
 * Validates and normalises the FromPort/ToPort given for `protocol`. Ports sent with `-1` or other
 * numbered protocols are dropped silently on authorize/revoke (spec/semantics.md §3.2, field).
 * Throws InvalidPermission.Malformed or InvalidParameterValue with AWS's messages.
 */
export function portSpecFor(protocol: IpProtocol, fromPort: number | undefined, toPort: number | undefined): PortSpec {
  if (hasPortRange(protocol)) {
    // A missing port is read as -1 and rejected as out of range (spec/semantics.md §3.2, field).
    const from = fromPort ?? -1;
    const to = toPort ?? -1;
    if (from < 0 || from > 65535) throw portOutOfRange(from);
    if (to < 0 || to > 65535) throw portOutOfRange(to);
    if (from > to) throw invalidPortRange();
    return { fromPort: from, toPort: to };
  }
  if (hasIcmpTypeCode(protocol)) {
    if (fromPort === undefined || toPort === undefined) {
      // icmpv6 ports are optional: omitted means all types and codes (spec/semantics.md §3.2, model).
      if (protocol === 'icmpv6' && fromPort === undefined && toPort === undefined) return { fromPort: -1, toPort: -1 };
      throw icmpPortsRequired();
    }
    if (fromPort < -1 || fromPort > 255) throw icmpOutOfRange('type', fromPort);
    if (toPort < -1 || toPort > 255) throw icmpOutOfRange('code', toPort);
    // Type -1 means every type, so the code must be -1 too (spec/semantics.md §3.2, model).
    // UNCONFIRMED: the error AWS sends for a code with type -1; we report the code as out of range.
    if (fromPort === -1 && toPort !== -1) throw icmpOutOfRange('code', toPort);
    return { fromPort, toPort };
  }
  return {};
}
