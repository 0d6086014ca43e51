/**
 * Schema of the embedded store. `changes` is the revisioned change log (the feed reads it);
 * `documents` holds the current state of each resource as JSON, so start-up reads one row per
 * resource instead of replaying history.
 */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS changes (
  revision   INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  account_id TEXT NOT NULL,
  region     TEXT NOT NULL,
  kind       TEXT NOT NULL,
  record     TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS documents (
  id   TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_by_kind ON documents (kind);
`;
