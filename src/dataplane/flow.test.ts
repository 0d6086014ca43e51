import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlow, protocolText, type FlowInput, type FlowParseResult } from './flow.js';

test('parseFlow accepts flows and normalises them', () => {
  const rows: readonly (readonly [FlowInput, FlowParseResult])[] = [
    // Protocol by name (any case) or number; tcp/udp take a port.
    [{ direction: 'ingress', protocol: 'tcp', port: '22', peer: '10.0.0.1' }, { kind: 'flow', flow: { direction: 'ingress', protocol: 6, port: 22, peer: '10.0.0.1' } }],
    [{ direction: 'egress', protocol: 'UDP', port: 53, peer: '10.0.0.2' }, { kind: 'flow', flow: { direction: 'egress', protocol: 17, port: 53, peer: '10.0.0.2' } }],
    [{ direction: 'ingress', protocol: '6', port: 0, peer: '10.0.0.1' }, { kind: 'flow', flow: { direction: 'ingress', protocol: 6, port: 0, peer: '10.0.0.1' } }],
    [{ direction: 'ingress', protocol: 17, port: '65535', peer: '10.0.0.1' }, { kind: 'flow', flow: { direction: 'ingress', protocol: 17, port: 65535, peer: '10.0.0.1' } }],
    // ICMP takes a type and a code.
    [
      { direction: 'ingress', protocol: 'icmp', icmpType: '8', icmpCode: '0', peer: '192.0.2.1' },
      { kind: 'flow', flow: { direction: 'ingress', protocol: 1, icmpType: 8, icmpCode: 0, peer: '192.0.2.1' } },
    ],
    [
      { direction: 'ingress', protocol: 'icmpv6', icmpType: 128, icmpCode: 0, peer: '2001:DB8:0:0::1' },
      { kind: 'flow', flow: { direction: 'ingress', protocol: 58, icmpType: 128, icmpCode: 0, peer: '2001:db8::1' } },
    ],
    // Other numbers take neither.
    [{ direction: 'ingress', protocol: '50', peer: '::1' }, { kind: 'flow', flow: { direction: 'ingress', protocol: 50, peer: '::1' } }],
    [{ direction: 'egress', protocol: 0, peer: '0.0.0.0' }, { kind: 'flow', flow: { direction: 'egress', protocol: 0, peer: '0.0.0.0' } }],
  ];
  for (const [input, expected] of rows) {
    assert.deepEqual(parseFlow(input), expected, JSON.stringify(input));
  }
});

test('parseFlow names the first wrong field', () => {
  const rows: readonly (readonly [FlowInput, string])[] = [
    [{ direction: 'inbound', protocol: 'tcp', port: 22, peer: '10.0.0.1' }, 'direction'],
    // A flow has one protocol: -1 and `all` are rule wildcards, names other than EC2's are unknown.
    [{ direction: 'ingress', protocol: '-1', peer: '10.0.0.1' }, 'protocol'],
    [{ direction: 'ingress', protocol: 'all', peer: '10.0.0.1' }, 'protocol'],
    [{ direction: 'ingress', protocol: 'esp', peer: '10.0.0.1' }, 'protocol'],
    [{ direction: 'ingress', protocol: '256', peer: '10.0.0.1' }, 'protocol'],
    [{ direction: 'ingress', protocol: '06', port: 22, peer: '10.0.0.1' }, 'protocol'],
    [{ direction: 'ingress', protocol: 1.5, peer: '10.0.0.1' }, 'protocol'],
    [{ direction: 'ingress', protocol: 'constructor', peer: '10.0.0.1' }, 'protocol'],
    // Ports.
    [{ direction: 'ingress', protocol: 'tcp', peer: '10.0.0.1' }, 'port'],
    [{ direction: 'ingress', protocol: 'tcp', port: '65536', peer: '10.0.0.1' }, 'port'],
    [{ direction: 'ingress', protocol: 'tcp', port: -1, peer: '10.0.0.1' }, 'port'],
    [{ direction: 'ingress', protocol: 'tcp', port: '22x', peer: '10.0.0.1' }, 'port'],
    [{ direction: 'ingress', protocol: 'tcp', port: 22, icmpType: 8, peer: '10.0.0.1' }, 'icmpType'],
    [{ direction: 'ingress', protocol: '50', port: 22, peer: '10.0.0.1' }, 'port'],
    [{ direction: 'ingress', protocol: 'icmp', port: 8, icmpType: 8, icmpCode: 0, peer: '10.0.0.1' }, 'port'],
    // ICMP type and code.
    [{ direction: 'ingress', protocol: 'icmp', icmpCode: 0, peer: '10.0.0.1' }, 'icmpType'],
    [{ direction: 'ingress', protocol: 'icmp', icmpType: 8, peer: '10.0.0.1' }, 'icmpCode'],
    [{ direction: 'ingress', protocol: 'icmp', icmpType: 256, icmpCode: 0, peer: '10.0.0.1' }, 'icmpType'],
    [{ direction: 'ingress', protocol: 'icmp', icmpType: -1, icmpCode: -1, peer: '10.0.0.1' }, 'icmpType'],
    [{ direction: 'ingress', protocol: '47', icmpCode: 0, peer: '10.0.0.1' }, 'icmpCode'],
    // Peers: an address, no prefix.
    [{ direction: 'ingress', protocol: 'tcp', port: 22, peer: '10.0.0.0/8' }, 'peer'],
    [{ direction: 'ingress', protocol: 'tcp', port: 22, peer: '010.0.0.1' }, 'peer'],
    [{ direction: 'ingress', protocol: 'tcp', port: 22, peer: 'fe80::1%eth0' }, 'peer'],
    [{ direction: 'ingress', protocol: 'tcp', port: 22, peer: '' }, 'peer'],
  ];
  for (const [input, field] of rows) {
    const result = parseFlow(input);
    assert.equal(result.kind, 'invalid', JSON.stringify(input));
    if (result.kind === 'invalid') {
      assert.equal(result.field, field, JSON.stringify(input));
      assert.ok(result.message.length > 0);
    }
  }
});

test('protocolText names the protocols EC2 names and numbers the rest', () => {
  const rows: readonly (readonly [number, string])[] = [
    [6, 'tcp'],
    [17, 'udp'],
    [1, 'icmp'],
    [58, 'icmpv6'],
    [50, 'protocol 50'],
    [0, 'protocol 0'],
  ];
  for (const [protocol, text] of rows) assert.equal(protocolText(protocol), text);
});
