import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cidrContainsCidr,
  containsAddress,
  formatIpv4Address,
  formatIpv6Address,
  ipv4CidrHostRange,
  parseIpv4Address,
  parseIpv4Cidr,
  parseIpv6Address,
  parseIpv6Cidr,
} from './cidr.js';
import type { Cidr } from './cidr.js';

/** Parses a CIDR the test table knows to be valid, of either family. */
function cidrForTest(value: string): Cidr {
  const cidr = parseIpv4Cidr(value) ?? parseIpv6Cidr(value);
  assert.ok(cidr, `test table CIDR ${value} must parse`);
  return cidr;
}

/** Parses an address the test table knows to be valid, of either family. */
function addressForTest(value: string): number | bigint {
  const address = parseIpv4Address(value) ?? parseIpv6Address(value);
  assert.ok(address !== undefined, `test table address ${value} must parse`);
  return address;
}

test('parseIpv4Cidr canonicalises and clears host bits (spec/semantics.md §4.1)', () => {
  const rows: readonly (readonly [string, string, number, number])[] = [
    // [input, canonical text, network, prefix length]; already canonical.
    ['10.0.0.0/8', '10.0.0.0/8', 0x0a000000, 8],
    ['0.0.0.0/0', '0.0.0.0/0', 0, 0],
    ['255.255.255.255/32', '255.255.255.255/32', 0xffffffff, 32],
    ['192.168.1.7/32', '192.168.1.7/32', 0xc0a80107, 32],
    ['172.16.0.0/12', '172.16.0.0/12', 0xac100000, 12],
    // Host bits are cleared (the examples in spec/semantics.md §4.1).
    ['10.0.0.1/8', '10.0.0.0/8', 0x0a000000, 8],
    ['100.68.0.18/18', '100.68.0.0/18', 0x64440000, 18],
    ['10.0.0.28/29', '10.0.0.24/29', 0x0a000018, 29],
    ['205.192.8.45/24', '205.192.8.0/24', 0xcdc00800, 24],
    ['1.2.3.4/0', '0.0.0.0/0', 0, 0],
    ['255.255.255.255/1', '128.0.0.0/1', 0x80000000, 1],
    ['255.255.255.255/31', '255.255.255.254/31', 0xfffffffe, 31],
    // A single zero octet and a zero prefix are not leading zeros.
    ['0.0.0.0/32', '0.0.0.0/32', 0, 32],
  ];
  for (const [input, text, network, prefixLength] of rows) {
    const cidr = parseIpv4Cidr(input);
    assert.ok(cidr, input);
    assert.equal(cidr.family, 4, input);
    assert.equal(cidr.text, text, input);
    assert.equal(cidr.network, network, input);
    assert.equal(cidr.prefixLength, prefixLength, input);
    // The canonical text is a fixed point.
    assert.equal(parseIpv4Cidr(cidr.text)?.text, text, input);
  }
});

test('parseIpv4Cidr rejects malformed blocks (spec/semantics.md §4.1)', () => {
  const rows: readonly string[] = [
    // Empty, or parts missing.
    '',
    '/',
    '/8',
    '10.0.0.0',
    '10.0.0.0/',
    '10.0.0/8',
    '10.0.0.0.0/8',
    '10..0.0/8',
    '.10.0.0.0/8',
    '10.0.0.0./8',
    // Out of range.
    '10.0.0.0/33',
    '10.0.0.0/128',
    '256.1.1.1/8',
    '1.1.1.256/8',
    '1.2.3.1000/8',
    '10.0.0.0/-1',
    // Leading zeros in an octet or the prefix (UNCONFIRMED: reject).
    '010.0.0.0/8',
    '10.00.0.0/8',
    '1.2.3.04/32',
    '1.2.3.4/08',
    '1.2.3.4/00',
    // Whitespace anywhere.
    ' 10.0.0.0/8',
    '10.0.0.0/8 ',
    '10.0.0.0 /8',
    '10.0.0.0/ 8',
    '10. 0.0.0/8',
    '10.0.0.0/8\n',
    // Other notations and stray characters.
    '10.0.0.0/8/8',
    '10.0.0.0/255.0.0.0',
    '0x0a.0.0.0/8',
    '+10.0.0.0/8',
    '10.0.0.0/+8',
    '1e1.0.0.0/8',
    '10.0.0.0/8.0',
    '１0.0.0.0/8',
    '10.0.0.0/８',
    // IPv6 is not IPv4 ("CIDR block ::/0 is malformed", spec/semantics.md §4.2).
    '::/0',
    '::ffff:10.0.0.0/104',
  ];
  for (const input of rows) {
    assert.equal(parseIpv4Cidr(input), undefined, JSON.stringify(input));
  }
});

test('parseIpv6Cidr clears host bits and writes RFC 5952 text (spec/semantics.md §4.2)', () => {
  const rows: readonly (readonly [string, string])[] = [
    // Already canonical.
    ['::/0', '::/0'],
    ['::/128', '::/128'],
    ['::1/128', '::1/128'],
    ['2001:db8::/32', '2001:db8::/32'],
    ['fe80::/10', 'fe80::/10'],
    ['2001:db8::1/128', '2001:db8::1/128'],
    // Host bits cleared.
    ['2001:DB8:0:0:1::/64', '2001:db8::/64'],
    ['2001:db8:0:0:1::1/64', '2001:db8::/64'],
    ['2001:db8:1234:5678:9abc:def0:1234:5678/48', '2001:db8:1234::/48'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/1', '8000::/1'],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/127', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe/127'],
    ['2001:db8::1/0', '::/0'],
    // Upper case and leading zeros in groups.
    ['2001:0DB8:0000:0000:0000:0000:0000:0001/128', '2001:db8::1/128'],
    ['ABCD:EF01:2345:6789:ABCD:EF01:2345:6789/128', 'abcd:ef01:2345:6789:abcd:ef01:2345:6789/128'],
    ['0000:0000:0000:0000:0000:0000:0000:0000/0', '::/0'],
    // The longest zero run is compressed (RFC 5952 §4.2.3) …
    ['2001:0:0:1:0:0:0:1/128', '2001:0:0:1::1/128'],
    ['2001:db8:0:0:0:1:0:0/128', '2001:db8::1:0:0/128'],
    // … the first one on a tie …
    ['2001:db8:0:0:1:0:0:1/128', '2001:db8::1:0:0:1/128'],
    ['0:0:1:0:0:1:0:0/128', '::1:0:0:1:0:0/128'],
    // … and a single zero group is never compressed (RFC 5952 §4.2.2).
    ['2001:db8:0:1:1:1:1:1/128', '2001:db8:0:1:1:1:1:1/128'],
    ['2001:db8::1:1:1:1:1/128', '2001:db8:0:1:1:1:1:1/128'],
    ['1:2:3:4:5:6:7::/128', '1:2:3:4:5:6:7:0/128'],
    ['::2:3:4:5:6:7:8/128', '0:2:3:4:5:6:7:8/128'],
    // Runs at either end.
    ['1::/16', '1::/16'],
    ['0:0:0:0:0:0:0:1/128', '::1/128'],
    ['1:0:0:0:0:0:0:0/128', '1::/128'],
    // Embedded IPv4 tails are read (RFC 4291 §2.2 item 3) and written as hex (RFC 5952 §5
    // is optional and skipped).
    ['::ffff:1.2.3.4/128', '::ffff:102:304/128'],
    ['::FFFF:192.168.0.0/112', '::ffff:c0a8:0/112'],
    ['::1.2.3.4/128', '::102:304/128'],
    ['64:ff9b::192.0.2.33/96', '64:ff9b::/96'],
    ['1:2:3:4:5:6:1.2.3.4/128', '1:2:3:4:5:6:102:304/128'],
  ];
  for (const [input, text] of rows) {
    const cidr = parseIpv6Cidr(input);
    assert.ok(cidr, input);
    assert.equal(cidr.family, 6, input);
    assert.equal(cidr.text, text, input);
    assert.equal(parseIpv6Cidr(cidr.text)?.text, text, input);
  }
});

test('parseIpv6Cidr rejects malformed blocks (spec/semantics.md §4.2)', () => {
  const rows: readonly string[] = [
    // Empty, or no prefix.
    '',
    '/0',
    '::',
    '2001:db8::',
    '2001:db8::/',
    // Prefix out of range or not plain decimal.
    '::/129',
    '::/256',
    '::/-1',
    '::/064',
    '::/6 4',
    '::/0/0',
    // Too many colons, or `::` twice.
    ':::/0',
    '1:::2/64',
    '1::2::3/64',
    '::1::/64',
    // Stray single colons at either end.
    ':/0',
    ':1::/64',
    '1::2:/64',
    ':1:2:3:4:5:6:7:8/128',
    '1:2:3:4:5:6:7:8:/128',
    // Group too long or not hex.
    '12345::/16',
    '::12345/128',
    '2001:db8::g/128',
    '2001:db8:::/32',
    '0x1::/16',
    // Wrong number of groups.
    '1:2:3:4:5:6:7/128',
    '1:2:3:4:5:6:7:8:9/128',
    '1:2:3:4:5:6:7:8::/128',
    '::1:2:3:4:5:6:7:8/128',
    '1:2:3:4:5:6:7::8/128',
    // Malformed or misplaced IPv4 tails.
    '::1.2.3/128',
    '::1.2.3.256/128',
    '::01.2.3.4/128',
    '::1.2.3.4:1/128',
    '1.2.3.4::/128',
    '1:2:3:4:5:6:7:1.2.3.4/128',
    '1:2:3:4:5:1.2.3.4/128',
    '::1.2.3.4.5/128',
    // Zone ids and whitespace.
    'fe80::1%eth0/64',
    ' ::/0',
    '::/0 ',
    ':: /0',
    // IPv4 is not IPv6.
    '10.0.0.0/8',
    '0.0.0.0/0',
  ];
  for (const input of rows) {
    assert.equal(parseIpv6Cidr(input), undefined, JSON.stringify(input));
  }
});

test('parseIpv4Address reads bare dotted quads only', () => {
  const rows: readonly (readonly [string, number | undefined])[] = [
    ['0.0.0.0', 0],
    ['10.0.0.1', 0x0a000001],
    ['255.255.255.255', 0xffffffff],
    ['128.0.0.0', 0x80000000],
    // A prefix, leading zeros, whitespace or a short form are not addresses.
    ['10.0.0.1/32', undefined],
    ['010.0.0.1', undefined],
    [' 10.0.0.1', undefined],
    ['10.0.1', undefined],
    ['10', undefined],
    ['', undefined],
    ['::1', undefined],
  ];
  for (const [input, want] of rows) {
    assert.equal(parseIpv4Address(input), want, JSON.stringify(input));
  }
});

test('parseIpv6Address reads bare RFC 4291 addresses only', () => {
  const rows: readonly (readonly [string, bigint | undefined])[] = [
    ['::', 0n],
    ['::1', 1n],
    ['1::', 1n << 112n],
    ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', (1n << 128n) - 1n],
    ['2001:db8::8a2e:370:7334', 0x20010db8000000000000_8a2e_0370_7334n],
    ['::ffff:10.0.0.1', 0xffff_0a00_0001n],
    ['::FFFF:A00:1', 0xffff_0a00_0001n],
    // A prefix or a zone id is not part of an address.
    ['::1/128', undefined],
    ['fe80::1%1', undefined],
    ['', undefined],
    ['10.0.0.1', undefined],
  ];
  for (const [input, want] of rows) {
    assert.equal(parseIpv6Address(input), want, JSON.stringify(input));
  }
});

test('formatIpv4Address and formatIpv6Address invert the parsers', () => {
  const ipv4Rows: readonly (readonly [number, string])[] = [
    [0, '0.0.0.0'],
    [0x0a000001, '10.0.0.1'],
    [0x80000000, '128.0.0.0'],
    [0xffffffff, '255.255.255.255'],
  ];
  for (const [address, want] of ipv4Rows) {
    assert.equal(formatIpv4Address(address), want, want);
    assert.equal(parseIpv4Address(want), address, want);
  }
  const ipv6Rows: readonly (readonly [bigint, string])[] = [
    [0n, '::'],
    [1n, '::1'],
    [(1n << 128n) - 1n, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
    [0x2001_0db8_0000_0000_0000_0000_0000_0001n, '2001:db8::1'],
    [0xffff_0102_0304n, '::ffff:102:304'],
  ];
  for (const [address, want] of ipv6Rows) {
    assert.equal(formatIpv6Address(address), want, want);
    assert.equal(parseIpv6Address(want), address, want);
  }
});

test('containsAddress checks membership by family', () => {
  const rows: readonly (readonly [string, string, boolean])[] = [
    // /0 holds every address of its family.
    ['0.0.0.0/0', '0.0.0.0', true],
    ['0.0.0.0/0', '255.255.255.255', true],
    ['::/0', '::', true],
    ['::/0', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', true],
    // /32 and /128 hold exactly one.
    ['10.0.0.1/32', '10.0.0.1', true],
    ['10.0.0.1/32', '10.0.0.2', false],
    ['10.0.0.1/32', '10.0.0.0', false],
    ['2001:db8::1/128', '2001:db8::1', true],
    ['2001:db8::1/128', '2001:db8::2', false],
    ['2001:db8::1/128', '2001:db8::', false],
    // Boundaries of an ordinary block.
    ['10.0.0.0/8', '10.0.0.0', true],
    ['10.0.0.0/8', '10.255.255.255', true],
    ['10.0.0.0/8', '9.255.255.255', false],
    ['10.0.0.0/8', '11.0.0.0', false],
    ['128.0.0.0/1', '255.255.255.255', true],
    ['128.0.0.0/1', '127.255.255.255', false],
    ['2001:db8::/32', '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff', true],
    ['2001:db8::/32', '2001:db9::', false],
    ['2001:db8::/32', '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff', false],
    ['8000::/1', 'ffff::', true],
    ['8000::/1', '7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', false],
    // The other family is never contained, not even in /0.
    ['0.0.0.0/0', '::', false],
    ['0.0.0.0/0', '::ffff:10.0.0.1', false],
    ['::/0', '10.0.0.1', false],
  ];
  for (const [cidr, address, want] of rows) {
    const got = containsAddress(cidrForTest(cidr), addressForTest(address));
    assert.equal(got, want, `${cidr} ∋ ${address}`);
  }
});

test('cidrContainsCidr checks that every inner address is in the outer block', () => {
  const rows: readonly (readonly [string, string, boolean])[] = [
    // /0 contains everything of its family, including itself.
    ['0.0.0.0/0', '0.0.0.0/0', true],
    ['0.0.0.0/0', '10.0.0.0/8', true],
    ['0.0.0.0/0', '255.255.255.255/32', true],
    ['::/0', '::/0', true],
    ['::/0', '2001:db8::1/128', true],
    // A block contains itself and its sub-blocks, not its super-blocks or siblings.
    ['10.0.0.0/8', '10.0.0.0/8', true],
    ['10.0.0.0/8', '10.1.0.0/16', true],
    ['10.0.0.0/8', '10.255.255.255/32', true],
    ['10.0.0.0/16', '10.0.0.0/8', false],
    ['10.0.0.0/8', '11.0.0.0/8', false],
    ['10.0.0.0/9', '10.128.0.0/9', false],
    ['2001:db8::/32', '2001:db8:1::/48', true],
    ['2001:db8::/48', '2001:db8::/32', false],
    ['2001:db8::/32', '2001:db9::/32', false],
    // /32 and /128 contain only themselves.
    ['10.0.0.1/32', '10.0.0.1/32', true],
    ['10.0.0.1/32', '10.0.0.2/32', false],
    ['10.0.0.0/31', '10.0.0.1/32', true],
    ['2001:db8::1/128', '2001:db8::1/128', true],
    ['2001:db8::1/128', '2001:db8::/127', false],
    // Families never mix.
    ['0.0.0.0/0', '::/0', false],
    ['::/0', '0.0.0.0/0', false],
    ['::/0', '10.0.0.0/8', false],
  ];
  for (const [outer, inner, want] of rows) {
    const got = cidrContainsCidr(cidrForTest(outer), cidrForTest(inner));
    assert.equal(got, want, `${outer} ⊇ ${inner}`);
  }
});

test('ipv4CidrHostRange gives the first and last address of the block', () => {
  const rows: readonly (readonly [string, string, string])[] = [
    ['10.0.0.0/8', '10.0.0.0', '10.255.255.255'],
    ['10.0.0.0/16', '10.0.0.0', '10.0.255.255'],
    ['172.31.16.0/20', '172.31.16.0', '172.31.31.255'],
    ['192.168.1.77/24', '192.168.1.0', '192.168.1.255'],
    ['10.0.0.4/31', '10.0.0.4', '10.0.0.5'],
    ['10.0.0.7/32', '10.0.0.7', '10.0.0.7'],
    ['0.0.0.0/0', '0.0.0.0', '255.255.255.255'],
    ['128.0.0.0/1', '128.0.0.0', '255.255.255.255'],
  ];
  for (const [input, first, last] of rows) {
    const cidr = parseIpv4Cidr(input);
    assert.ok(cidr, input);
    const range = ipv4CidrHostRange(cidr);
    assert.equal(formatIpv4Address(range.first), first, input);
    assert.equal(formatIpv4Address(range.last), last, input);
    // Both ends are unsigned, so they order correctly above 127.255.255.255.
    assert.ok(range.first >= 0 && range.first <= range.last, input);
  }
});
