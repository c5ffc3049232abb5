/**
 * @module The SQLite schema. Bump SCHEMA_VERSION with every change and migrate in SCHEMA_SQL.
 */

/** Schema version stored in `PRAGMA user_version`. */
export const SCHEMA_VERSION = 2;

/** Creates the tables if missing. Idempotent. */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  epoch TEXT NOT NULL,
  metadata TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  head INTEGER NOT NULL,
  state TEXT
);
CREATE TABLE IF NOT EXISTS events (
  session TEXT NOT NULL,
  seq INTEGER NOT NULL,
  event TEXT NOT NULL,
  data TEXT NOT NULL,
  ts INTEGER NOT NULL,
  PRIMARY KEY (session, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS events_by_time ON events (ts);
CREATE TABLE IF NOT EXISTS skills (
  name TEXT PRIMARY KEY,
  body TEXT NOT NULL
);
-- Version 2: first answers to REST publishes with an Idempotency-Key.
CREATE TABLE IF NOT EXISTS idempotency (
  session TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  status INTEGER NOT NULL,
  body TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (session, key)
) WITHOUT ROWID;
PRAGMA user_version = ${SCHEMA_VERSION};
`;
