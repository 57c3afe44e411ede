import { afterAll } from '@jest/globals';
import pg from 'pg';
import { DATABASE_URL } from '../../cluster/helpers/run-records.js';

/** After the file's tests, drops every table whose name starts with `tag` (the stores' tables). */
export function dropTablesAfterAll(tag: string): void {
  afterAll(async () => {
    const admin = new pg.Pool({ connectionString: DATABASE_URL, max: 2 });
    try {
      const { rows } = await admin.query<{ t: string }>(
        'SELECT tablename AS t FROM pg_tables WHERE tablename LIKE $1',
        [`${tag}%`],
      );
      for (const { t } of rows) await admin.query(`DROP TABLE IF EXISTS "${t}"`);
    } finally {
      await admin.end();
    }
  });
}
