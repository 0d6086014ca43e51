/**
 * Matching of one `Filter.N.Value.M` against a candidate string (spec/api.md §5.3 step 3):
 * case-sensitive; `*` matches any run of characters, including none; `?` matches zero or one
 * character; `\` escapes `*`, `?` and `\`. A character is a Unicode code point, so `?` matches
 * an emoji whole rather than half a surrogate pair.
 */

/** One pattern element: a literal character (one code point), `*` or `?`. */
type PatternToken =
  | { readonly kind: 'literal'; readonly character: string }
  | { readonly kind: 'anyRun' }
  | { readonly kind: 'anyOne' };

// Token codes in the compiled state machine; literals are their code point (always >= 0).
const ANY_RUN = -1;
const ANY_ONE = -2;

/**
 * Compiles a filter value once into a predicate that reports whether a candidate matches it.
 * A value without wildcards compiles to string equality (after removing its escapes).
 */
export function compileFilterPattern(value: string): (candidate: string) => boolean {
  const tokens = tokensFromValue(value);
  if (!tokens.some((token) => token.kind !== 'literal')) {
    const literal = tokens
      .map((token) => (token.kind === 'literal' ? token.character : ''))
      .join('');
    return (candidate) => candidate === literal;
  }
  const codes = simplifiedCodes(tokens);
  if (codes.length === 1 && codes[0] === ANY_RUN) {
    return () => true;
  }
  return stateMachineMatcher(Int32Array.from(codes));
}

/** Reports whether a filter value contains an unescaped `*` or `?`. */
export function hasWildcard(value: string): boolean {
  return tokensFromValue(value).some((token) => token.kind !== 'literal');
}

/** Splits a filter value into literal code points and wildcards, resolving `\` escapes. */
function tokensFromValue(value: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  let escaped = false;
  for (const character of value) {
    if (escaped) {
      escaped = false;
      if (character === '*' || character === '?' || character === '\\') {
        tokens.push({ kind: 'literal', character });
        continue;
      }
      // A `\` before any other character is a literal backslash, and the character keeps its
      // own meaning (spec/api.md §5.3 step 3 names only `*`, `?` and `\` as escapable;
      // UNCONFIRMED).
      tokens.push({ kind: 'literal', character: '\\' });
    }
    if (character === '\\') {
      escaped = true;
    } else if (character === '*') {
      tokens.push({ kind: 'anyRun' });
    } else if (character === '?') {
      tokens.push({ kind: 'anyOne' });
    } else {
      tokens.push({ kind: 'literal', character });
    }
  }
  // A trailing lone `\` is a literal backslash (UNCONFIRMED, as above).
  if (escaped) {
    tokens.push({ kind: 'literal', character: '\\' });
  }
  return tokens;
}

/**
 * Encodes tokens as state-machine codes, dropping wildcards that cannot change the result: a
 * `*` next to another `*` or next to a `?` already covers what they would match.
 */
function simplifiedCodes(tokens: readonly PatternToken[]): number[] {
  const codes: number[] = [];
  for (const token of tokens) {
    if (token.kind === 'literal') {
      codes.push(token.character.codePointAt(0) ?? 0);
    } else if (token.kind === 'anyRun') {
      while (codes.length > 0 && (codes.at(-1) === ANY_ONE || codes.at(-1) === ANY_RUN)) {
        codes.pop();
      }
      codes.push(ANY_RUN);
    } else if (codes.at(-1) !== ANY_RUN) {
      codes.push(ANY_ONE);
    }
  }
  return codes;
}

/**
 * Builds a matcher that simulates the pattern as a nondeterministic automaton, one state per
 * pattern position, stepping all live states over the candidate's code points at once.
 *
 * Not a RegExp: V8's backtracking engine takes exponential time on values such as `*a*a*a*a*b`
 * (14 s for a 255-character candidate when measured), and filter values come from clients. This
 * runs in O(candidate length × pattern length) and allocates nothing per call. The two state
 * arrays are scratch space owned by this closure; matching is synchronous, so calls never overlap.
 */
function stateMachineMatcher(codes: Int32Array): (candidate: string) => boolean {
  const accepting = codes.length;
  let current = new Uint8Array(accepting + 1);
  let next = new Uint8Array(accepting + 1);

  // Follows the moves that consume nothing: `*` and `?` may each match the empty string.
  const close = (states: Uint8Array): void => {
    for (let i = 0; i < accepting; i++) {
      const code = codes[i];
      if (states[i] === 1 && (code === ANY_RUN || code === ANY_ONE)) {
        states[i + 1] = 1;
      }
    }
  };

  return (candidate) => {
    current.fill(0);
    current[0] = 1;
    close(current);
    for (let offset = 0; offset < candidate.length; ) {
      const codePoint = candidate.codePointAt(offset) ?? 0;
      offset += codePoint > 0xffff ? 2 : 1;
      next.fill(0);
      let live = false;
      for (let i = 0; i < accepting; i++) {
        if (current[i] !== 1) {
          continue;
        }
        const code = codes[i];
        if (code === ANY_RUN) {
          next[i] = 1;
          live = true;
        } else if (code === ANY_ONE || code === codePoint) {
          next[i + 1] = 1;
          live = true;
        }
      }
      if (!live) {
        return false;
      }
      close(next);
      const previous = current;
      current = next;
      next = previous;
    }
    return current[accepting] === 1;
  };
}
