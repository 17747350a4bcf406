/**
 * The baseline of the submission benchmark: `POST /api/patients/{id}/encounter_package` written by
 * hand on `node:http`, doing the service's work (bench/README.md lists it): what every request gets
 * (`../support/bare-http.ts`), the `encounter:write` scope and the submission budget, JSON bodies
 * only within the size limit, the body parsed and validated against the JSON Schema of the package
 * (the service's own OpenAPI schema of it, with Ajv), the patient id checked, the dedupe key, and
 * the job row inserted with its NOTIFY in one transaction (or the earlier identical pending job
 * found), answered 202 with `Location`.
 *
 * Usage: bare-server.ts <port>; env DATABASE_URL or DATA_DIR, AUTH_JWT_SECRET, SCHEMA_FILE (the
 * service's `/api/docs-json`), RATE_LIMIT_SUBMIT_PER_MINUTE, BODY_LIMIT_BYTES.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import Database from 'better-sqlite3';
import stableStringify from 'fast-json-stable-stringify';
import { nanoid } from 'nanoid';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Pool } from 'pg';
import { Answer, authorize, refusal, serveBare } from '../support/bare-http';

const TYPE = 'encounter_package.create';
const PATH = /^\/api\/patients\/([^/]+)\/encounter_package$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BODY_LIMIT = Number(process.env.BODY_LIMIT_BYTES ?? 1024 * 1024);
const SUBMIT_BUDGET = {
  name: 'submit' as const,
  perMinute: Number(process.env.RATE_LIMIT_SUBMIT_PER_MINUTE ?? 120),
};

const document = JSON.parse(readFileSync(process.env.SCHEMA_FILE!, 'utf8')) as {
  components: object;
};
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile({
  $ref: '#/components/schemas/EncounterPackageDto',
  components: document.components,
});

interface Inserted {
  id: string;
  created: boolean;
  eta: Date;
}

/** Inserts the job unless an identical one is pending; one transaction with its NOTIFY. */
function inserter(): (row: {
  clientId: string;
  payload: string;
  dedupeKey: string;
}) => Promise<Inserted> {
  const columns = `(id, type, client_id, state, payload, eta, dedupe_key, attempts, run_at, created_at, updated_at)`;
  if (process.env.DATABASE_URL) {
    const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
    return async ({ clientId, payload, dedupeKey }) => {
      const client = await pool.connect();
      try {
        const now = new Date();
        const eta = new Date(now.getTime() + 1000);
        const id = nanoid(21);
        await client.query('BEGIN');
        const inserted = await client.query({
          name: 'insert-job',
          text: `INSERT INTO jobs ${columns} VALUES ($1, $2, $3, 'waiting', $4, $5, $6, 0, $7, $7, $7)
                 ON CONFLICT DO NOTHING RETURNING id`,
          values: [id, TYPE, clientId, payload, eta, dedupeKey, now],
        });
        let found: Inserted = { id, created: true, eta };
        if (inserted.rowCount === 1) {
          await client.query("SELECT pg_notify('jobs_enqueued', '')");
        } else {
          const holder = await client.query<{ id: string; eta: Date }>(
            `SELECT id, eta FROM jobs WHERE dedupe_key = $1 AND state IN ('waiting', 'running')`,
            [dedupeKey],
          );
          found = { id: holder.rows[0].id, created: false, eta: holder.rows[0].eta };
        }
        await client.query('COMMIT');
        return found;
      } finally {
        client.release();
      }
    };
  }
  const db = new Database(join(process.env.DATA_DIR ?? './data', 'mis-jobs.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  const insert = db.prepare(
    `INSERT OR IGNORE INTO jobs ${columns} VALUES (?, ?, ?, 'waiting', ?, ?, ?, 0, ?, ?, ?)`,
  );
  const holder = db.prepare(
    `SELECT id, eta FROM jobs WHERE dedupe_key = ? AND state IN ('waiting', 'running')`,
  );
  const text = (date: Date) => date.toISOString().replace('T', ' ').replace('Z', '');
  return async ({ clientId, payload, dedupeKey }) => {
    const now = new Date();
    const eta = new Date(now.getTime() + 1000);
    const id = nanoid(21);
    const at = text(now);
    const { changes } = db
      .transaction(() => insert.run(id, TYPE, clientId, payload, text(eta), dedupeKey, at, at, at))
      .immediate();
    if (changes === 1) return { id, created: true, eta };
    const row = holder.get(dedupeKey) as { id: string; eta: string };
    return { id: row.id, created: false, eta: new Date(`${row.eta.replace(' ', 'T')}Z`) };
  };
}

const insertJob = inserter();

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) resolve(undefined);
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

serveBare(
  Number(process.argv[2]),
  '/api/patients/:patient_id/encounter_package',
  async (request): Promise<Answer> => {
    const match = request.req.method === 'POST' ? PATH.exec(request.path) : null;
    if (!match) return refusal(404, 'not_found', 'Not found.');
    const client = await authorize(request, 'encounter:write', SUBMIT_BUDGET);
    if (Array.isArray(client)) return client;
    if (!/^application\/json/.test(request.req.headers['content-type'] ?? '')) {
      return refusal(415, 'content_type_invalid', 'Invalid Content-Type header.');
    }
    const text = await readBody(request.req);
    if (text === undefined) return refusal(413, 'request_too_large', 'Request body is too large.');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return refusal(400, 'request_malformed', 'Malformed request.');
    }
    if (!validate(body)) {
      return [
        422,
        {
          error: {
            type: 'validation_failed',
            message: 'Validation failed.',
            invalid: validate.errors,
          },
        },
        {},
      ];
    }
    const patientId = match[1];
    if (!UUID.test(patientId)) return refusal(404, 'not_found', 'Patient not found.');
    const payload = { patient_id: patientId, package: body };
    const job = await insertJob({
      clientId: client.clientId,
      payload: JSON.stringify(payload),
      dedupeKey: createHash('sha256')
        .update(stableStringify([client.clientId, TYPE, payload]))
        .digest('hex'),
    });
    const href = `/api/jobs/${job.id}`;
    const wait = Math.ceil((job.eta.getTime() - Date.now()) / 1000);
    return [
      job.created ? 202 : 200,
      {
        data: {
          status: 'pending',
          eta: job.eta.toISOString(),
          links: [{ entity: 'job', href }],
        },
      },
      {
        location: href,
        'retry-after': String(Math.min(60, Math.max(1, wait))),
        'cache-control': 'no-store',
      },
    ];
  },
);
