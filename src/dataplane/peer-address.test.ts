import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatIpv4Address, formatIpv6Address, parseIpv4Address, parseIpv6Address } from '../domain/cidr.js';
import { decodePeerAddress } from './peer-address.js';

// The evaluator's allocation-free address decoder must accept exactly what domain/cidr.ts
// accepts, and decode it to the same value.

/** What domain/cidr.ts makes of `text`, as the family and the words decodePeerAddress writes. */
function expectedForTest(text: string): { family: 0 | 4 | 6; words: readonly number[] } {
  const v4 = parseIpv4Address(text);
  if (v4 !== undefined) return { family: 4, words: [v4 | 0] };
  const v6 = parseIpv6Address(text);
  if (v6 === undefined) return { family: 0, words: [] };
  // Four 32-bit words, most significant first, each read as signed.
  const words = [96n, 64n, 32n, 0n].map((shift) => Number(BigInt.asIntN(32, v6 >> shift)));
  return { family: 6, words };
}

function decodedForTest(text: string): { family: 0 | 4 | 6; words: readonly number[] } {
  const out = new Int32Array(4);
  const family = decodePeerAddress(text, out);
  return { family, words: family === 0 ? [] : [...out.subarray(0, family === 4 ? 1 : 4)] };
}

test('decodePeerAddress agrees with domain/cidr.ts on hand-picked texts', () => {
  const rows: readonly string[] = [
    // IPv4, valid and not.
    '0.0.0.0', '255.255.255.255', '10.1.2.3', '128.0.0.0', '1.2.3', '1.2.3.4.', '.1.2.3.4', '1.2.3.4.5', '256.1.1.1',
    '01.2.3.4', '1.2.3.00', '1.2.3.0', '1..2.3', '', ' 1.2.3.4', '1.2.3.4 ', '1.2.3.4/32', '1000.1.1.1', 'a.b.c.d',
    // IPv6, valid and not.
    '::', '::1', '1::', '2001:db8::1', '2001:DB8::1', '2001:db8:0:0:0:0:0:1', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    '::ffff:1.2.3.4', '::1.2.3.4', '1:2:3:4:5:6:1.2.3.4', '1:2:3:4:5:6:7:1.2.3.4', '1.2.3.4::', '1:2:3:4:5:6:7::',
    '::1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8::', '::1:2:3:4:5:6:7:8', ':::', '1:::2', '1::2::3', ':1', '1:', '::1:', ':',
    '12345::', '0000::', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', 'g::1', '::01.2.3.4', '::1.2.3.4.5',
    '1:2:3:4:5:6:7:8', '0:0:0:0:0:0:0:0', '::ffff:255.255.255.255', '::a.1.2.3',
  ];
  for (const text of rows) {
    assert.deepEqual(decodedForTest(text), expectedForTest(text), JSON.stringify(text));
  }
});

test('decodePeerAddress agrees with domain/cidr.ts on random address-like texts', () => {
  const v4 = fc.integer({ min: 0, max: 2 ** 32 - 1 }).map(formatIpv4Address);
  const v6 = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map(formatIpv6Address);
  const expanded = fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }).map((value) => {
    const groups: string[] = [];
    for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(((value >> shift) & 0xffffn).toString(16).toUpperCase());
    return groups.join(':');
  });
  const mutated = fc
    .tuple(fc.oneof(v4, v6, expanded), fc.nat(), fc.constantFrom('', '0', '1', 'f', 'F', ':', '::', '.', '%', '/', ' ', 'g'), fc.nat(3))
    .map(([text, at, insert, drop]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i + drop);
    });
  const text = fc.oneof(v4, v6, expanded, mutated, mutated, fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF:.'), maxLength: 45 }));
  fc.assert(
    fc.property(text, (value) => {
      assert.deepEqual(decodedForTest(value), expectedForTest(value));
    }),
    { numRuns: 20000 },
  );
});
