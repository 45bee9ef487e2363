import type { Dialect, SqlClient } from './sql.ts'

/**
 * Versioned migrations, applied in order at start-up, the same for both databases. The SQL
 * is common except for the tokens `{{id}}` (an auto-increment primary key) and `{{blob}}`.
 * Never edit a released migration: add the next one.
 */
export interface Migration {
  version: number
  name: string
  sql: string
}

/** Every migration of the store, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'resources, revisions, inventory, meta',
    sql: `
CREATE TABLE pb_counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO pb_counters (name, value) VALUES ('revision', 0), ('flows', 0);
CREATE TABLE pb_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE pb_resources (
  kind TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  tier TEXT,
  resource_version BIGINT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (kind, namespace, name)
);
CREATE INDEX pb_resources_tier ON pb_resources (tier);
CREATE TABLE pb_revisions (
  id BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  tier TEXT,
  operation TEXT NOT NULL,
  rollback_of BIGINT,
  before TEXT,
  after TEXT
);
CREATE INDEX pb_revisions_resource ON pb_revisions (kind, namespace, name, id);
CREATE INDEX pb_revisions_at ON pb_revisions (at);
CREATE TABLE pb_inventory (
  type TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (type, namespace, name)
);
`,
  },
  {
    version: 2,
    name: 'flow logs, hit counters, flow tuples',
    sql: `
CREATE TABLE pb_flow_batches (batch TEXT PRIMARY KEY, at BIGINT NOT NULL, accepted BIGINT NOT NULL, complete INTEGER NOT NULL);
CREATE TABLE pb_flowlogs (
  id {{id}},
  start_time BIGINT NOT NULL,
  end_time BIGINT NOT NULL,
  action TEXT NOT NULL,
  reporter TEXT NOT NULL,
  source_type TEXT NOT NULL,
  source_namespace TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_name_aggr TEXT NOT NULL,
  dest_type TEXT NOT NULL,
  dest_namespace TEXT NOT NULL,
  dest_name TEXT NOT NULL,
  dest_name_aggr TEXT NOT NULL,
  dest_port INTEGER,
  proto TEXT NOT NULL,
  num_flows BIGINT NOT NULL,
  record TEXT NOT NULL
);
CREATE INDEX pb_flowlogs_end ON pb_flowlogs (end_time);
CREATE TABLE pb_policy_hits (
  bucket BIGINT NOT NULL,
  view TEXT NOT NULL,
  tier TEXT NOT NULL,
  kind TEXT NOT NULL,
  staged INTEGER NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  direction TEXT NOT NULL,
  rule_index INTEGER NOT NULL,
  action TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (bucket, view, tier, kind, staged, namespace, name, direction, rule_index, action)
);
CREATE TABLE pb_flow_tuples (
  bucket BIGINT NOT NULL,
  source_type TEXT NOT NULL,
  source_namespace TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_ip TEXT NOT NULL,
  dest_type TEXT NOT NULL,
  dest_namespace TEXT NOT NULL,
  dest_name TEXT NOT NULL,
  dest_ip TEXT NOT NULL,
  proto TEXT NOT NULL,
  dest_port INTEGER NOT NULL,
  action TEXT NOT NULL,
  source_labels TEXT NOT NULL,
  dest_labels TEXT NOT NULL,
  flows BIGINT NOT NULL,
  records BIGINT NOT NULL,
  PRIMARY KEY (bucket, source_type, source_namespace, source_name, source_ip, dest_type, dest_namespace, dest_name, dest_ip, proto, dest_port, action)
);
`,
  },
  {
    version: 3,
    name: 'users, role bindings, API tokens, sessions, audit events',
    sql: `
CREATE TABLE pb_users (
  id {{id}},
  name TEXT NOT NULL UNIQUE,
  password_hash TEXT,
  disabled INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE pb_role_bindings (
  id {{id}},
  user_id BIGINT NOT NULL,
  role TEXT NOT NULL,
  tiers TEXT,
  namespaces TEXT
);
CREATE INDEX pb_role_bindings_user ON pb_role_bindings (user_id);
CREATE TABLE pb_tokens (
  id {{id}},
  user_id BIGINT NOT NULL,
  name TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  expires_at BIGINT,
  revoked_at BIGINT
);
CREATE TABLE pb_sessions (
  hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  csrf TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX pb_sessions_expires ON pb_sessions (expires_at);
CREATE TABLE pb_audit_events (
  id {{id}},
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  event TEXT NOT NULL,
  outcome TEXT NOT NULL,
  method TEXT,
  url TEXT,
  ip TEXT,
  detail TEXT
);
CREATE INDEX pb_audit_events_at ON pb_audit_events (at);
`,
  },
  {
    version: 4,
    name: 'resumable flow-log batches',
    // A batch records how far its stream got (the last line committed, with its counts, in the
    // same transaction as the rows), so a retry after a failure resumes there. Batches claimed
    // before this version cannot be resumed exactly: they are closed as they stand.
    sql: `
ALTER TABLE pb_flow_batches ADD COLUMN last_line BIGINT NOT NULL DEFAULT 0;
ALTER TABLE pb_flow_batches ADD COLUMN rejected BIGINT NOT NULL DEFAULT 0;
UPDATE pb_flow_batches SET complete = 1 WHERE complete = 0;
`,
  },
  {
    version: 5,
    name: 'narrow flow-log rows: repeated columns by key',
    // A record's row keeps what is filtered per record (its window), its weight and its text;
    // the columns that repeat over thousands of records (action, reporter, endpoints, port,
    // protocol) move to pb_flow_keys, referenced by id. Ingest then binds 5 values per record
    // instead of 16. A null port is stored as -1 in a key (a key column is never null).
    sql: `
CREATE TABLE pb_flow_keys (
  id {{id}},
  action TEXT NOT NULL,
  reporter TEXT NOT NULL,
  source_type TEXT NOT NULL,
  source_namespace TEXT NOT NULL,
  source_name TEXT NOT NULL,
  source_name_aggr TEXT NOT NULL,
  dest_type TEXT NOT NULL,
  dest_namespace TEXT NOT NULL,
  dest_name TEXT NOT NULL,
  dest_name_aggr TEXT NOT NULL,
  dest_port INTEGER NOT NULL,
  proto TEXT NOT NULL,
  UNIQUE (action, reporter, source_type, source_namespace, source_name, source_name_aggr, dest_type, dest_namespace, dest_name, dest_name_aggr, dest_port, proto)
);
INSERT INTO pb_flow_keys (action, reporter, source_type, source_namespace, source_name, source_name_aggr, dest_type, dest_namespace, dest_name, dest_name_aggr, dest_port, proto)
  SELECT DISTINCT action, reporter, source_type, source_namespace, source_name, source_name_aggr, dest_type, dest_namespace, dest_name, dest_name_aggr, COALESCE(dest_port, -1), proto
  FROM pb_flowlogs;
DROP INDEX pb_flowlogs_end;
ALTER TABLE pb_flowlogs RENAME TO pb_flowlogs_v4;
CREATE TABLE pb_flowlogs (
  id {{id}},
  start_time BIGINT NOT NULL,
  end_time BIGINT NOT NULL,
  flow_key BIGINT NOT NULL,
  num_flows BIGINT NOT NULL,
  record TEXT NOT NULL
);
INSERT INTO pb_flowlogs (start_time, end_time, flow_key, num_flows, record)
  SELECT f.start_time, f.end_time, k.id, f.num_flows, f.record
  FROM pb_flowlogs_v4 f JOIN pb_flow_keys k
    ON k.action = f.action AND k.reporter = f.reporter AND k.source_type = f.source_type
    AND k.source_namespace = f.source_namespace AND k.source_name = f.source_name
    AND k.source_name_aggr = f.source_name_aggr AND k.dest_type = f.dest_type
    AND k.dest_namespace = f.dest_namespace AND k.dest_name = f.dest_name
    AND k.dest_name_aggr = f.dest_name_aggr AND k.dest_port = COALESCE(f.dest_port, -1)
    AND k.proto = f.proto
  ORDER BY f.id;
DROP TABLE pb_flowlogs_v4;
CREATE INDEX pb_flowlogs_end ON pb_flowlogs (end_time);
`,
  },
]

function render(sql: string, dialect: Dialect): string {
  const id = dialect === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY'
  return sql.replaceAll('{{id}}', id)
}

/**
 * Applies every migration newer than the database's version, each in its own transaction.
 * On PostgreSQL an advisory lock keeps replicas starting together from racing.
 * @returns the versions applied.
 */
export async function migrate(db: SqlClient): Promise<number[]> {
  await db.transaction(async (tx) => {
    // Replicas starting together would race on CREATE TABLE: take the lock first.
    if (tx.dialect === 'postgres') await tx.exec('SELECT pg_advisory_xact_lock(775533)')
    await tx.exec(
      'CREATE TABLE IF NOT EXISTS pb_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
    )
  })
  const applied: number[] = []
  for (const m of MIGRATIONS) {
    await db.transaction(async (tx) => {
      if (tx.dialect === 'postgres') await tx.exec('SELECT pg_advisory_xact_lock(775533)')
      const done = await tx.get('SELECT version FROM pb_migrations WHERE version = ?', [m.version])
      if (done) return
      await tx.exec(render(m.sql, tx.dialect))
      await tx.run('INSERT INTO pb_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
        m.version,
        m.name,
        Date.now(),
      ])
      applied.push(m.version)
    })
  }
  return applied
}
