/** SQL of the PostgreSQL control store. Table names are checked identifiers (see the store). */
export const controlSql = (state: string, audit: string) => ({
  create: [
    `CREATE TABLE IF NOT EXISTS ${state} (scope text NOT NULL, kind text NOT NULL, ` +
      'name text NOT NULL, value jsonb NOT NULL, PRIMARY KEY (scope, kind, name))',
    `CREATE TABLE IF NOT EXISTS ${audit} (id bigserial PRIMARY KEY, scope text NOT NULL, ` +
      'name text NOT NULL, value jsonb NOT NULL)',
    `CREATE INDEX IF NOT EXISTS ${audit}_scope_id ON ${audit} (scope, id DESC)`,
  ],
  load: `SELECT kind, name, value FROM ${state} WHERE scope = $1`,
  put:
    `INSERT INTO ${state} (scope, kind, name, value) VALUES ($1, $2, $3, $4) ` +
    'ON CONFLICT (scope, kind, name) DO UPDATE SET value = EXCLUDED.value',
  delete: `DELETE FROM ${state} WHERE scope = $1 AND kind = $2 AND name = $3`,
  append: `INSERT INTO ${audit} (scope, name, value) VALUES ($1, $2, $3)`,
  // Keeps the newest $2 entries of the scope.
  trim:
    `DELETE FROM ${audit} WHERE scope = $1 AND id <= (SELECT id FROM ${audit} WHERE scope = $1 ` +
    'ORDER BY id DESC OFFSET $2 LIMIT 1)',
  read:
    `SELECT value FROM ${audit} WHERE scope = $1 AND ($2::text IS NULL OR name = $2) ` +
    'ORDER BY id DESC LIMIT $3',
  // Delivered to the listeners when the transaction commits, and only then.
  notify: 'SELECT pg_notify($1, $2)',
});
