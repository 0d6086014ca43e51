const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

// Characters XML 1.0 forbids (controls other than TAB/LF/CR, lone surrogates, U+FFFE/U+FFFF).
// Clients' parsers reject a whole response over one of them (botocore does), and values echo
// client input (tags, names in messages), so they are replaced rather than passed through.
const NOT_XML_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
const NEEDS_WORK = /[&<>"'\x00-\x08\x0B\x0C\x0E-\x1F\uD800-\uDFFF\uFFFE\uFFFF]/;

/**
 * Escapes text for an XML element or attribute (spec/errors.md §1: messages contain quotes), and
 * replaces characters XML cannot carry with U+FFFD.
 */
export function escapeXml(text: string): string {
  if (!NEEDS_WORK.test(text)) return text;
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** `<name>value</name>`, escaped; nothing when the value is undefined (absent optional scalars). */
export function element(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `<${name}>${typeof value === 'string' ? escapeXml(value) : String(value)}</${name}>`;
}

/** A list wrapper whose children are all `<item>` (spec/api.md §1.3); empty → `<name/>`. */
export function itemList(name: string, items: readonly string[]): string {
  if (items.length === 0) return `<${name}/>`;
  return `<${name}><item>${items.join('</item><item>')}</item></${name}>`;
}
