import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { DOCUMENT_KINDS } from '../../document-kind.js';
import type { TakeDocumentText } from '../snapshot-text.js';

/**
 * Reads every document and the log head in one REPEATABLE READ snapshot, with `COPY … TO STDOUT`
 * per kind, in DOCUMENT_KINDS order and creation order within a kind.
 *
 * Why COPY and not a cursor (issue 12: restart at a million rules): the row protocol builds a
 * message object, a row array and a string per field for every row, and holds a whole page of
 * them until the page resolves. At a million rules that was 1.4 GB of short-lived garbage and
 * ~3 s of scavenging under the server's 1 MiB young generation, more than SQLite's whole snapshot.
 * COPY's rows arrive as text lines in socket-sized buffers (pg-copy-streams coalesces them), so
 * the only per-row allocations left are the line and the parsed document.
 *
 * `client` is a connection of its own, made without the pool's per-query read timeout: a COPY is
 * one statement however long the table, so the bound is on progress instead (`stallMs` without a
 * byte ends the connection, and the read fails as an unavailable store would).
 */
async function readSnapshot(client: pg.Client, take: TakeDocumentText, stallMs: number): Promise<number> {
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
  // One statement per kind may run longer than statement_timeout; the stall bound replaces it.
  // The (kind, position) index gives the order, whatever the table's statistics say: never a sort
  // of a million rows after a bulk load not yet analyzed. JIT compiling costs more than it saves here.
  await client.query('SET LOCAL statement_timeout = 0; SET LOCAL enable_sort = off; SET LOCAL jit = off');
  const head = await client.query<{ revision: string }>('SELECT revision FROM log_head');
  for (const kind of DOCUMENT_KINDS) {
    const rows = client.query(copyTo(`COPY (SELECT body FROM documents WHERE kind = ${pg.escapeLiteral(kind)} ORDER BY position) TO STDOUT`));
    const lines = new LineSplitter((line) => take(kind, unescapeCopyText(line)));
    let stalled: NodeJS.Timeout | undefined;
    const watch = () => {
      clearTimeout(stalled);
      stalled = setTimeout(() => rows.destroy(new Error(`Query read timeout: no snapshot data for ${stallMs} ms`)), stallMs);
    };
    try {
      watch();
      for await (const chunk of rows as AsyncIterable<Buffer>) {
        watch();
        lines.push(chunk);
      }
    } finally {
      clearTimeout(stalled);
    }
    lines.end();
  }
  await client.query('COMMIT');
  return Number(head.rows[0]?.revision ?? 0);
}

/**
 * `readSnapshot` on a connection of its own, made without the pool's per-query read timeout (see
 * above), and ended after. Where it runs decides nothing: in process or in a snapshot worker.
 */
export async function readSnapshotOnNewConnection(config: pg.ClientConfig, take: TakeDocumentText, stallMs: number): Promise<number> {
  const client = new pg.Client({ ...config, query_timeout: undefined });
  // A lost server fails the read in progress; unhandled, the event would end the process.
  client.on('error', () => {});
  try {
    await client.connect();
    return await readSnapshot(client, take, stallMs);
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Cuts COPY's text output into rows. A row ends with a newline byte, which never occurs inside a
 * multi-byte UTF-8 sequence, so each buffer is decoded only up to its last newline and the rest
 * waits for the next one.
 */
class LineSplitter {
  #carry: Buffer | undefined;
  readonly #onLine: (line: string) => void;

  constructor(onLine: (line: string) => void) {
    this.#onLine = onLine;
  }

  push(chunk: Buffer): void {
    const data = this.#carry === undefined ? chunk : Buffer.concat([this.#carry, chunk]);
    const last = data.lastIndexOf(0x0a);
    if (last === -1) {
      this.#carry = Buffer.from(data);
      return;
    }
    this.#carry = last + 1 < data.length ? Buffer.from(data.subarray(last + 1)) : undefined;
    const text = data.toString('utf8', 0, last + 1);
    for (let start = 0, end = text.indexOf('\n'); end !== -1; start = end + 1, end = text.indexOf('\n', start)) this.#onLine(text.slice(start, end));
  }

  end(): void {
    if (this.#carry !== undefined) throw new Error('snapshot: COPY output ended inside a row');
  }
}

/** COPY's text format escapes (postgresql.org/docs/15/sql-copy.html, "Text Format"). */
const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v' };

/**
 * Undoes COPY TO's escaping of one column. COPY TO writes a backslash as `\\` and the control
 * characters above as their escapes; a JSON document holds no raw control character, so in
 * practice only a doubled backslash (from a JSON escape such as `\"`) occurs.
 */
export function unescapeCopyText(field: string): string {
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/g, (_, c: string) => COPY_ESCAPES[c] ?? c);
}
