import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OpenRoute } from '../routes.js';

/** The page's own files, in the repository's `console/` folder (served as they are: no build step). */
const PAGE_DIR = fileURLToPath(new URL('../../../../console/', import.meta.url));

/** Cytoscape.js's own ES-module build, served from its npm package (no CDN, no bundling). */
export const CYTOSCAPE_FILE = path.join(path.dirname(createRequire(import.meta.url).resolve('cytoscape')), 'cytoscape.esm.min.mjs');

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * What the console's pages may do (issue 11): scripts, styles and calls from this origin only, no
 * inline script, never framed by another site (clickjacking).
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/**
 * A static file of the console at `urlPath`: `file` is in the page folder unless absolute. Read
 * once, at the first request, and kept (a few hundred kilobytes in all).
 */
export function consoleAsset(urlPath: string, file: string): OpenRoute {
  const fullPath = path.isAbsolute(file) ? file : path.join(PAGE_DIR, file);
  const contentType = CONTENT_TYPES[path.extname(fullPath)] ?? 'application/octet-stream';
  let body: Buffer | undefined;
  return {
    kind: 'open',
    method: 'GET',
    path: urlPath,
    serve(res) {
      body ??= readFileSync(fullPath);
      res
        .writeHead(200, {
          'Content-Type': contentType,
          'Content-Length': String(body.length),
          // Revalidated on each load: a page from an older server never runs against a newer one.
          'Cache-Control': 'no-cache',
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'Referrer-Policy': 'no-referrer',
        })
        .end(body);
    },
  };
}

/** `/console` without its slash: to `/console/`, so the page's relative imports resolve. */
export const CONSOLE_REDIRECT: OpenRoute = {
  kind: 'open',
  method: 'GET',
  path: '/console',
  serve(res) {
    res.writeHead(308, { Location: '/console/' }).end();
  },
};
