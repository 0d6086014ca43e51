import { malformedQueryString, parameterRepeated } from '../domain/ec2-errors.js';

/**
 * Decodes `application/x-www-form-urlencoded` text (spec/api.md §1: `+` is a space; botocore sends
 * `+`, the JS SDK `%20`). Invalid percent-escapes or invalid UTF-8 → MalformedQueryString; a name
 * given twice → InvalidParameterValue (we never guess which one the client meant).
 */
export function parseFormEncoded(text: string, into: Map<string, string> = new Map()): Map<string, string> {
  if (text.length === 0) return into;
  const seen = new Set<string>();
  for (const pair of text.split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const name = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = decode(eq < 0 ? '' : pair.slice(eq + 1));
    if (seen.has(name)) throw parameterRepeated(name);
    seen.add(name);
    into.set(name, value);
  }
  return into;
}

function decode(component: string): string {
  const spaced = component.includes('+') ? component.replace(/\+/g, ' ') : component;
  if (!spaced.includes('%')) {
    if (!spaced.isWellFormed()) throw malformedQueryString();
    return spaced;
  }
  try {
    // decodeURIComponent rejects malformed escapes and invalid UTF-8 sequences.
    return decodeURIComponent(spaced);
  } catch {
    throw malformedQueryString();
  }
}
