/**
 * Schema of the shared engine, as migrations: entry N brings a database from version N to N + 1,
 * and `schema_version` records how many have run. Same tables as the embedded engine, plus:
 * - `log_head`, one row holding the last revision. A writer locks it (`SELECT … FOR UPDATE`) for
 *   its whole transaction, so revisions are handed out in commit order: no reader can see revision
 *   N + 1 before N is committed (a sequence value taken before commit could; DESIGN, Scale-out).
 * - `documents.position`, the order in which resources were first written (SQLite's rowid), which
 *   start-up needs to rebuild creation-ordered indexes.
 * - `documents` partitioned by kind (from version 5): rules in one partition, the rest in another.
 */
export const POSTGRES_MIGRATIONS: readonly string[] = [
  `
CREATE TABLE changes (
  revision   bigint PRIMARY KEY,
  at         text NOT NULL,
  account_id text NOT NULL,
  region     text NOT NULL,
  kind       text NOT NULL,
  record     text NOT NULL
);
CREATE TABLE documents (
  id       text PRIMARY KEY,
  kind     text NOT NULL,
  position bigint GENERATED ALWAYS AS IDENTITY,
  body     text NOT NULL
);
CREATE INDEX documents_by_kind ON documents (kind, position);
CREATE TABLE log_head (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  revision bigint NOT NULL
);
INSERT INTO log_head (revision) VALUES (0);
`,
  // 2: hosts' enforcement reports, the latest per instance (issue 10: any replica answers).
  `
CREATE TABLE enforcement (
  instance_id text PRIMARY KEY,
  host_name   text NOT NULL,
  revision    bigint NOT NULL,
  failure     text
);
`,
  // 3: console sessions and one-time sign-in links, hashed (issue 11: any replica accepts them).
  `
CREATE TABLE console_tokens (
  token_hash text PRIMARY KEY,
  kind       text NOT NULL,
  account_id text NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX console_tokens_by_expiry ON console_tokens (expires_at);
`,
  // 4: rule documents are written as arrays (state/stored-rule.ts; issue 12: restart time). No
  // table changes, but a build before it cannot read them, so it must refuse this database.
  `
COMMENT ON COLUMN documents.body IS 'JSON; a rule as the array of its values (state/stored-rule.ts), from schema version 4';
`,
  // 5: documents partitioned by kind, rules apart from the rest (issue 12: restart time). In one
  // heap, every group document sat among its rules, and a rewrite moved it to the heap's end: reading
  // 16,667 groups at start-up read 16,843 scattered pages (0.55 s). A partitioned table's unique key
  // must hold the partition key, hence (kind, id); positions are kept.
  `
ALTER TABLE documents RENAME TO documents_v4;
ALTER TABLE documents_v4 RENAME CONSTRAINT documents_pkey TO documents_v4_pkey;
ALTER INDEX documents_by_kind RENAME TO documents_v4_by_kind;
CREATE SEQUENCE documents_position;
CREATE TABLE documents (
  kind     text NOT NULL,
  id       text NOT NULL,
  position bigint NOT NULL DEFAULT nextval('documents_position'),
  body     text NOT NULL,
  PRIMARY KEY (kind, id)
) PARTITION BY LIST (kind);
CREATE TABLE documents_rule PARTITION OF documents FOR VALUES IN ('rule');
CREATE TABLE documents_other PARTITION OF documents DEFAULT;
CREATE INDEX documents_by_kind ON documents (kind, position);
INSERT INTO documents (kind, id, position, body) SELECT kind, id, position, body FROM documents_v4;
SELECT setval('documents_position', coalesce((SELECT max(position) FROM documents), 0) + 1, false);
DROP TABLE documents_v4;
COMMENT ON COLUMN documents.body IS 'JSON; a rule as the array of its values (state/stored-rule.ts), from schema version 4';
`,
];

/** The channel every commit notifies, with its last revision as payload (a wake-up, not the truth). */
export const CHANGES_CHANNEL = 'stockade_changes';

/** Key of the advisory lock that serialises migrations of several servers starting at once. */
export const MIGRATION_LOCK_KEY = 7_341_001;
