import { execFile } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from './sha256.js';
import { REPO_ROOT, type AccountCredentials, type RunningStockade } from './stockade-process.js';

const run = promisify(execFile);

/** A host registered through `bin/stockade hosts add --json`, with its key as credentials. */
export async function addHost(server: RunningStockade, hostName: string): Promise<AccountCredentials & { hostName: string }> {
  const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, 'bin', 'stockade'), 'hosts', 'add', '--name', hostName, '--json', ...server.storeArgs]);
  const parsed = JSON.parse(stdout) as { hostName: string; accessKeyId: string; secretAccessKey: string };
  return { accountId: '', ...parsed };
}

/** One line of the feed: a change record, or a heartbeat. */
export type FeedLine =
  | { readonly revision: number; readonly change: { readonly kind: string } }
  | { readonly heartbeat: number }
  /** The host feed (`/feed/host`) only: its opening snapshot's revision, and documents. */
  | { readonly snapshot: number }
  | { readonly kind: string; readonly body: Record<string, unknown> };

/** An open `GET /feed` stream, read line by line as it arrives (or never, when `paused`). */
export interface FeedStream {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly lines: FeedLine[];
  /** The raw body of a refused (non-200) request, once it has ended. */
  readonly text: () => string;
  /** Resolves when the stream is over: `end` for a complete response, `cut` when the connection broke. */
  readonly ended: Promise<'end' | 'cut'>;
  /** Resolves with the lines once `predicate` holds, or rejects after `timeoutMs`. */
  waitFor(predicate: (lines: readonly FeedLine[]) => boolean, timeoutMs?: number): Promise<readonly FeedLine[]>;
  /** Starts reading a stream opened paused. */
  resume(): void;
  close(): void;
}

/** Opens `GET /feed?since=N`, SigV4-signed (ec2, us-east-1) with `credentials`. */
export function openFeedStream(server: RunningStockade, since: number, credentials: AccountCredentials, options: { paused?: boolean } = {}): Promise<FeedStream> {
  return openStream(server, '/feed', { since: String(since) }, credentials, options);
}

/** Opens `GET /feed/host`, the feed of what concerns one host (issue 10), with the host's key. */
export function openHostFeedStream(server: RunningStockade, credentials: AccountCredentials): Promise<FeedStream> {
  return openStream(server, '/feed/host', {}, credentials, {});
}

async function openStream(server: RunningStockade, path: string, query: Record<string, string>, credentials: AccountCredentials, options: { paused?: boolean }): Promise<FeedStream> {
  const signer = new SignatureV4({ service: 'ec2', region: 'us-east-1', credentials, sha256: Sha256 });
  const signed = await signer.sign({ method: 'GET', protocol: 'http:', hostname: '127.0.0.1', port: server.port, path, query, headers: { host: `127.0.0.1:${server.port}` } });
  const search = new URLSearchParams(query).toString();
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: search === '' ? path : `${path}?${search}`, headers: signed.headers, agent: false });
    req.once('error', reject);
    req.once('response', (res) => {
      if (options.paused === true) res.pause();
      const lines: FeedLine[] = [];
      let partial = '';
      let raw = '';
      const waiters = new Set<() => void>();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (res.statusCode !== 200) {
          raw += chunk;
          return;
        }
        partial += chunk;
        const parts = partial.split('\n');
        partial = parts.pop() ?? '';
        for (const part of parts) if (part.length > 0) lines.push(JSON.parse(part) as FeedLine);
        for (const wake of waiters) wake();
      });
      const ended = new Promise<'end' | 'cut'>((done) => {
        res.once('end', () => done('end'));
        res.once('close', () => done(res.complete ? 'end' : 'cut'));
        res.once('error', () => done('cut'));
        req.once('error', () => done('cut'));
      });
      resolve({
        status: res.statusCode ?? 0,
        contentType: res.headers['content-type'],
        lines,
        text: () => raw,
        ended,
        waitFor(predicate, timeoutMs = 5000) {
          return new Promise((ok, fail) => {
            const check = () => {
              if (!predicate(lines)) return;
              clearTimeout(timer);
              waiters.delete(check);
              ok(lines);
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`feed condition not met in ${timeoutMs} ms; lines: ${JSON.stringify(lines).slice(0, 2000)}`));
            }, timeoutMs);
            waiters.add(check);
            check();
          });
        },
        resume: () => res.resume(),
        close: () => req.destroy(),
      });
    });
  });
}

/** The revisions of the change records among `lines`, in order. */
export function revisionsOf(lines: readonly FeedLine[]): number[] {
  return lines.flatMap((l) => ('revision' in l ? [l.revision] : []));
}

/** The documents among `lines` (host feed). */
export function documentsOf(lines: readonly FeedLine[]): { kind: string; body: Record<string, unknown> }[] {
  return lines.flatMap((l) => ('kind' in l && 'body' in l ? [l] : []));
}
