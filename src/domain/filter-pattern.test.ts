import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilterPattern, hasWildcard } from './filter-pattern.js';

test('compileFilterPattern matches EC2 filter values (spec/api.md §5.3 step 3)', () => {
  const rows: readonly (readonly [string, string, boolean])[] = [
    // [value, candidate, matches]; no wildcard: exact and case-sensitive.
    ['web', 'web', true],
    ['web', 'Web', false],
    ['web', 'webs', false],
    ['web', 'we', false],
    ['', '', true],
    ['', 'x', false],
    ['sg-0123abcd', 'sg-0123abcd', true],
    // `*` matches any run, including none.
    ['*', '', true],
    ['*', 'anything at all', true],
    ['web*', 'web', true],
    ['web*', 'web-servers', true],
    ['web*', 'Web-servers', false],
    ['web*', 'my-web', false],
    ['*web', 'my-web', true],
    ['*web', 'my-web-1', false],
    ['*web*', 'my-web-1', true],
    ['*web*', 'mywe-b', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'a-b-c', true],
    ['a*b*c', 'a-c-b', false],
    ['a*b*c', 'a-b-c-', false],
    ['**', '', true],
    ['a**b', 'ab', true],
    ['a**b', 'axyzb', true],
    // `?` matches zero or one character, never two.
    ['?', '', true],
    ['?', 'a', true],
    ['?', 'ab', false],
    ['a?c', 'ac', true],
    ['a?c', 'abc', true],
    ['a?c', 'abbc', false],
    ['??', '', true],
    ['??', 'ab', true],
    ['??', 'abc', false],
    ['10.0.0.?/32', '10.0.0.1/32', true],
    ['10.0.0.?/32', '10.0.0.12/32', false],
    // `*` and `?` together.
    ['*?', 'abc', true],
    ['?*', '', true],
    ['a?*c', 'ac', true],
    ['a*?c', 'axxxc', true],
    ['sg-*?', 'sg-', true],
    ['*.?', 'host.a', true],
    ['*.?', 'host.ab', false],
    // `\` escapes `*`, `?` and `\`, which then match only themselves.
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a\\*b', 'ab', false],
    ['a\\?b', 'a?b', true],
    ['a\\?b', 'ab', false],
    ['a\\\\b', 'a\\b', true],
    ['a\\\\b', 'a\\\\b', false],
    ['a\\\\*', 'a\\xyz', true],
    ['a\\\\*', 'axyz', false],
    ['\\**', '*abc', true],
    ['\\**', 'abc', false],
    ['*\\?', 'why?', true],
    ['*\\?', 'why', false],
    // A `\` before anything else, or at the end, is a literal backslash (UNCONFIRMED).
    ['a\\b', 'a\\b', true],
    ['a\\b', 'ab', false],
    ['a\\', 'a\\', true],
    ['a\\', 'a', false],
    ['a\\b*', 'a\\bc', true],
    // Regular-expression metacharacters are plain characters.
    ['a.c*', 'a.c', true],
    ['a.c*', 'abc', false],
    ['(a|b)*', '(a|b)x', true],
    ['(a|b)*', 'a', false],
    ['[ab]?', '[ab]', true],
    ['[ab]?', 'a', false],
    ['^$+{1}*', '^$+{1}', true],
    ['x{2}*', 'xx', false],
    ['/a/*', '/a/b', true],
    ['-*', '-x', true],
    // Other characters, including line breaks, count as one character each.
    ['a?b', 'a\nb', true],
    ['a*b', 'a\n\nb', true],
    ['?', '😀', true],
    ['a?b', 'a😀b', true],
    ['😀*', '😀x', true],
    ['é*', 'é', true],
    ['é*', 'e\u0301', false],
  ];
  for (const [value, candidate, want] of rows) {
    assert.equal(
      compileFilterPattern(value)(candidate),
      want,
      `${JSON.stringify(value)} vs ${JSON.stringify(candidate)}`,
    );
  }
});

test('a compiled pattern can be reused and gives the same answers', () => {
  const matches = compileFilterPattern('a*b?c');
  const rows: readonly (readonly [string, boolean])[] = [
    ['abc', true],
    ['axxbc', true],
    ['axxbyc', true],
    ['axxbyyc', false],
    ['', false],
    ['abc', true],
  ];
  for (const [candidate, want] of rows) {
    assert.equal(matches(candidate), want, candidate);
  }
});

test('compileFilterPattern stays fast on values that make backtracking regexps explode', () => {
  // Each row would take seconds to hours with a naive RegExp; here they must simply finish, and
  // the answers show the matcher still reasons correctly about long candidates.
  const long = 'a'.repeat(5000);
  const rows: readonly (readonly [string, string, boolean])[] = [
    ['*a*a*a*a*a*a*a*a*a*a*b', long, false],
    ['*a*a*a*a*a*a*a*a*a*a*b', `${long}b`, true],
    ['?'.repeat(60) + 'b', 'a'.repeat(59), false],
    ['?'.repeat(60) + 'b', `${'a'.repeat(59)}b`, true],
    ['*?*?*?*?*?*?x', long, false],
  ];
  for (const [value, candidate, want] of rows) {
    assert.equal(compileFilterPattern(value)(candidate), want, value);
  }
});

test('hasWildcard reports unescaped `*` and `?` only', () => {
  const rows: readonly (readonly [string, boolean])[] = [
    // Plain values.
    ['', false],
    ['web', false],
    ['10.0.0.0/8', false],
    // Wildcards anywhere.
    ['*', true],
    ['?', true],
    ['web*', true],
    ['a?b', true],
    // Escaped wildcards are literals; an escaped backslash does not escape what follows.
    ['a\\*b', false],
    ['a\\?b', false],
    ['a\\\\b', false],
    ['a\\\\*', true],
    ['\\*\\?', false],
    ['\\*?', true],
    ['a\\', false],
  ];
  for (const [value, want] of rows) {
    assert.equal(hasWildcard(value), want, JSON.stringify(value));
  }
});
