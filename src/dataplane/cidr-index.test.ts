import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { containsAddress, formatIpv4Address, formatIpv6Address, parseIpv4Cidr, parseIpv6Cidr, type Cidr } from '../domain/cidr.js';
import {
  buildCidrIndex,
  cidrIndexContainsIpv4,
  cidrIndexContainsIpv6,
  collectCidrMatchesIpv4,
  collectCidrMatchesIpv6,
  RANGE_BUCKETS_MIN_INTERVALS,
  SMALL_LIST_MAX,
  type CidrEntry,
  type CidrIndex,
  type CidrIndexShape,
} from './cidr-index.js';
import { decodePeerAddress } from './peer-address.js';

// Each shape is chosen for the set it fits, and every shape answers like a scan of the blocks.

/** `[cidr text, rule]` pairs → entries and the parsed blocks for the brute-force answer. */
function entriesForTest(rows: readonly (readonly [string, number])[]): { entries: CidrEntry[]; blocks: [Cidr, number][] } {
  const entries: CidrEntry[] = [];
  const blocks: [Cidr, number][] = [];
  for (const [text, rule] of rows) {
    const cidr = parseIpv4Cidr(text) ?? parseIpv6Cidr(text);
    assert.ok(cidr, `test CIDR ${text} must parse`);
    entries.push({ network: BigInt(cidr.network), prefixLength: cidr.prefixLength, rule });
    blocks.push([cidr, rule]);
  }
  return { entries, blocks };
}

/** The rules holding `address`, by scanning every block: what the index must say. */
function scanForTest(blocks: readonly [Cidr, number][], address: number | bigint): number[] {
  return [...new Set(blocks.filter(([cidr]) => containsAddress(cidr, address)).map(([, rule]) => rule))].sort((a, b) => a - b);
}

/** Asks `index` about `text` both ways (boolean and collecting); returns the sorted rules. */
function askForTest(index: CidrIndex, text: string): { contains: boolean; rules: number[] } {
  const words = new Int32Array(4);
  const family = decodePeerAddress(text, words);
  assert.equal(family, index.family, text);
  const out = new Int32Array(64);
  let count: number;
  let contains: boolean;
  if (family === 4) {
    contains = cidrIndexContainsIpv4(index, words[0] ?? 0);
    count = collectCidrMatchesIpv4(index, words[0] ?? 0, out, 0);
  } else {
    contains = cidrIndexContainsIpv6(index, words[0] ?? 0, words[1] ?? 0, words[2] ?? 0, words[3] ?? 0);
    count = collectCidrMatchesIpv6(index, words[0] ?? 0, words[1] ?? 0, words[2] ?? 0, words[3] ?? 0, out, 0);
  }
  const rules = [...out.subarray(0, count)].sort((a, b) => a - b);
  assert.equal(new Set(rules).size, rules.length, `${text}: a rule listed twice`);
  return { contains, rules };
}

const hosts4 = Array.from({ length: SMALL_LIST_MAX + 3 }, (_, i) => [`192.0.2.${i * 7}/32`, i] as const);
const hosts6 = Array.from({ length: SMALL_LIST_MAX + 3 }, (_, i) => [`2001:db8::${(i * 7).toString(16)}/128`, i] as const);
const mixed4 = [
  ...Array.from({ length: SMALL_LIST_MAX }, (_, i) => [`10.${i}.0.0/16`, i] as const),
  ['10.0.0.0/8', 20] as const,
  ['10.3.4.5/32', 21] as const,
];

const CASES: readonly {
  readonly name: string;
  readonly family: 4 | 6;
  readonly rows: readonly (readonly [string, number])[];
  readonly shape: CidrIndexShape;
  readonly probes: readonly string[];
}[] = [
  // The empty set.
  { name: 'no blocks', family: 4, rows: [], shape: 'none', probes: ['0.0.0.0', '10.0.0.1'] },
  // One distinct block, several rules on it.
  { name: 'one /0 for two rules', family: 4, rows: [['0.0.0.0/0', 3], ['0.0.0.0/0', 1]], shape: 'single', probes: ['0.0.0.0', '255.255.255.255'] },
  { name: 'one /32', family: 4, rows: [['203.0.113.7/32', 0]], shape: 'single', probes: ['203.0.113.7', '203.0.113.6', '203.0.113.8'] },
  { name: 'one ::/0', family: 6, rows: [['::/0', 0]], shape: 'single', probes: ['::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'] },
  { name: 'one /128', family: 6, rows: [['2001:db8::1/128', 0]], shape: 'single', probes: ['2001:db8::1', '2001:db8::', '2001:db8::2'] },
  // A few blocks, nested and not.
  {
    name: 'nested IPv4 list',
    family: 4,
    rows: [['10.0.0.0/8', 0], ['10.1.0.0/16', 1], ['10.1.2.3/32', 2], ['192.168.0.0/16', 0]],
    shape: 'list',
    probes: ['10.1.2.3', '10.1.2.4', '10.2.0.0', '9.255.255.255', '11.0.0.0', '192.168.255.255', '192.169.0.0'],
  },
  {
    name: 'nested IPv6 list',
    family: 6,
    rows: [['2001:db8::/32', 0], ['2001:db8:1::/48', 1], ['::/0', 2]],
    shape: 'list',
    probes: ['2001:db8:1::1', '2001:db8:2::', '2001:db9::', '::'],
  },
  // Host routes only, past the small-list size.
  { name: 'IPv4 hosts', family: 4, rows: hosts4, shape: 'hosts', probes: ['192.0.2.0', '192.0.2.7', '192.0.2.8', '192.0.2.56', '192.0.3.7'] },
  { name: 'IPv6 hosts', family: 6, rows: hosts6, shape: 'hosts', probes: ['2001:db8::', '2001:db8::7', '2001:db8::8', '2001:db8::38', '2001:db9::7'] },
  { name: 'hosts shared by rules', family: 4, rows: [...hosts4, ['192.0.2.7/32', 30]], shape: 'hosts', probes: ['192.0.2.7', '192.0.2.14'] },
  // Anything else: elementary intervals.
  {
    name: 'IPv4 ranges',
    family: 4,
    rows: mixed4,
    shape: 'ranges',
    probes: ['10.0.0.0', '10.0.255.255', '10.3.4.5', '10.3.4.6', '10.6.0.0', '10.255.255.255', '11.0.0.0', '0.0.0.0', '255.255.255.255'],
  },
  {
    name: 'IPv4 ranges with /0',
    family: 4,
    rows: [...mixed4, ['0.0.0.0/0', 40]],
    shape: 'ranges',
    probes: ['10.0.0.0', '10.3.4.5', '11.0.0.0', '0.0.0.0', '255.255.255.255'],
  },
  {
    name: 'IPv4 ranges to the top of the space',
    family: 4,
    rows: [...mixed4, ['255.255.255.0/24', 41], ['255.255.255.255/32', 42], ['128.0.0.0/1', 43]],
    shape: 'ranges',
    probes: ['127.255.255.255', '128.0.0.0', '255.255.255.254', '255.255.255.255'],
  },
  {
    name: 'IPv6 ranges',
    family: 6,
    rows: [
      ...hosts6,
      ['2001:db8::/112', 10],
      ['8000::/1', 11],
      ['ffff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120', 12],
      ['2001:db8::8000:0/97', 13],
    ],
    shape: 'ranges',
    probes: [
      '2001:db8::7', '2001:db8::ffff', '2001:db8::1:0', '7fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '8000::',
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '::', '2001:db8::8000:0', '2001:db8::7fff:ffff', '2001:db8::ffff:ffff',
    ],
  },
  // One rule whose blocks nest (a prefix list): pruned to the outer block.
  { name: 'one rule, nested blocks', family: 4, rows: [['10.0.0.0/8', 5], ['10.0.0.0/8', 5], ['10.1.0.0/16', 5]], shape: 'single', probes: ['10.1.0.1', '10.2.0.1'] },
];

test('buildCidrIndex picks the shape that fits and answers like a scan', () => {
  for (const testCase of CASES) {
    const { entries, blocks } = entriesForTest(testCase.rows);
    const index = buildCidrIndex(testCase.family, entries);
    assert.equal(index.shape, testCase.shape, testCase.name);
    for (const probe of testCase.probes) {
      const words = new Int32Array(4);
      decodePeerAddress(probe, words);
      const value = testCase.family === 4 ? parseIpv4Cidr(`${probe}/32`)?.network : parseIpv6Cidr(`${probe}/128`)?.network;
      assert.ok(value !== undefined, probe);
      const expected = scanForTest(blocks, value);
      const answer = askForTest(index, probe);
      assert.deepEqual(answer.rules, expected, `${testCase.name}: ${probe}`);
      assert.equal(answer.contains, expected.length > 0, `${testCase.name}: ${probe}`);
    }
  }
});

test('every shape answers like a scan on random blocks and addresses', () => {
  let bucketed = 0;
  const v4 = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom(0, 1, 8, 16, 24, 30, 31, 32)).map(([a, p]) => `${formatIpv4Address(a)}/${p}`);
  const v6 = fc
    .tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.constantFrom(0, 1, 32, 64, 96, 120, 127, 128))
    .map(([a, p]) => `${formatIpv6Address(a)}/${p}`);
  const v4Probes = fc.array(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 10 });
  const scenario = fc.oneof(
    fc.record({ family: fc.constant(4 as const), rows: fc.array(fc.tuple(v4, fc.nat(12)), { maxLength: 30 }), probes: v4Probes }),
    // Enough blocks for the first-level buckets of `ranges` (RANGE_BUCKETS_MIN_INTERVALS).
    fc.record({ family: fc.constant(4 as const), rows: fc.array(fc.tuple(v4, fc.nat(40)), { minLength: 40, maxLength: 150 }), probes: v4Probes }),
    fc.record({ family: fc.constant(6 as const), rows: fc.array(fc.tuple(v6, fc.nat(12)), { maxLength: 30 }), probes: fc.array(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), { maxLength: 10 }) }),
  );
  fc.assert(
    fc.property(scenario, ({ family, rows, probes }) => {
      const { entries, blocks } = entriesForTest(rows);
      const index = buildCidrIndex(family, entries);
      if (index.shape === 'ranges' && index.slotCount > RANGE_BUCKETS_MIN_INTERVALS && family === 4) bucketed++;
      // Probe each block's edges and neighbours as well as random addresses.
      const values: (number | bigint)[] = [...probes];
      for (const [cidr] of blocks) {
        if (cidr.family === 4) {
          const last = cidr.network + 2 ** (32 - cidr.prefixLength) - 1;
          values.push(...[cidr.network, last, cidr.network - 1, last + 1].filter((a) => a >= 0 && a < 2 ** 32));
        } else {
          const last = cidr.network + (1n << BigInt(128 - cidr.prefixLength)) - 1n;
          values.push(...[cidr.network, last, cidr.network - 1n, last + 1n].filter((a) => a >= 0n && a < 1n << 128n));
        }
      }
      for (const value of values) {
        const text = typeof value === 'number' ? formatIpv4Address(value) : formatIpv6Address(value);
        const expected = scanForTest(blocks, value);
        const answer = askForTest(index, text);
        assert.deepEqual(answer.rules, expected, `${index.shape}: ${text}`);
        assert.equal(answer.contains, expected.length > 0, `${index.shape}: ${text}`);
      }
    }),
    { numRuns: 500 },
  );
  assert.ok(bucketed > 0, 'no run built bucketed ranges');
});
