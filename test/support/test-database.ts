import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The PostgreSQL the suites run against when `TEST_DATABASE_URL` is set; SQLite otherwise. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

/** A fresh schema per suite, so suites can run in parallel on one database. */
export async function createSchema(url: string): Promise<string> {
  const schema = `e2e_${randomBytes(6).toString('hex')}`;
  await withClient(url, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  return schema;
}

export async function dropSchema(url: string, schema: string): Promise<void> {
  await withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
