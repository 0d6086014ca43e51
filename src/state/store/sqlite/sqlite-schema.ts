/**
 * Schema of the embedded store, as migrations: entry N brings a database from version N to N + 1,
 * and `PRAGMA user_version` records how many have run. `changes` is the revisioned change log (the
 * feed reads it); `documents` holds the current state of each resource as JSON, so start-up reads
 * one row per resource instead of replaying history. Version 1 is the layout every data directory
 * made before versions were recorded already has, hence `IF NOT EXISTS`.
 */
export const SQLITE_MIGRATIONS: readonly string[] = [
  `
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
`,
  // 2: hosts' enforcement reports, the latest per instance (issue 10: reports survive a restart).
  `
CREATE TABLE enforcement (
  instance_id TEXT PRIMARY KEY,
  host_name   TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  failure     TEXT
);
`,
  // 3: console sessions and one-time sign-in links, hashed (issue 11: they survive a restart).
  `
CREATE TABLE console_tokens (
  token_hash TEXT PRIMARY KEY,
  kind       TEXT NOT NULL,
  account_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX console_tokens_by_expiry ON console_tokens (expires_at);
`,
  // 4: rule documents are written as arrays (state/stored-rule.ts; issue 12: restart time). No
  // table changes, but a build before it cannot read them, so it must refuse this file.
  `-- documents.body: a rule as the array of its values, from version 4`,
];
