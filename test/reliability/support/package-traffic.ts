import { DatabaseSession } from '@app/database';
import { Job } from '@app/jobs';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { In } from 'typeorm';
import { ExamplePackage, packageWith } from '../../support/encounter-package';

/** The scopes a MIS needs to submit packages and follow their jobs. */
export const PACKAGE_SCOPES = 'encounter:write job:read encounter:read';

/** Ways a package can break a clinical rule: it is accepted (202), then its job fails with 422. */
const CLINICAL_VIOLATIONS: ((pkg: ExamplePackage) => void)[] = [
  (pkg) => (pkg.encounter.date = new Date(Date.now() + 86_400_000).toISOString()),
  (pkg) => (pkg.conditions[0].code.coding[0].code = 'J06.99'),
  (pkg) => (pkg.encounter.diagnoses[0].role.coding[0].code = 'secondary'),
];

/** A package the service accepted (202), and what its job must end as. */
export interface AcceptedPackage {
  jobId: string;
  patientId: string;
  encounterId: string;
  valid: boolean;
}

/** The `n`th package of a mix: three in four valid, every fourth breaking a clinical rule. */
export function mixedPackage(n: number): { pkg: ExamplePackage; valid: boolean } {
  if (n % 4 !== 3) return { pkg: packageWith(), valid: true };
  const violate = CLINICAL_VIOLATIONS[Math.floor(n / 4) % CLINICAL_VIOLATIONS.length];
  return { pkg: packageWith(violate), valid: false };
}

/** Submits encounter packages over HTTP and keeps the ledger of every one answered 202. */
export class PackageTraffic {
  readonly accepted: AcceptedPackage[] = [];

  constructor(
    private readonly server: Server,
    private readonly token: string,
    private readonly timeoutMs = 30_000,
  ) {}

  async submit(pkg: ExamplePackage, valid: boolean, patientId = randomUUID()) {
    const res = await request(this.server)
      .post(`/api/patients/${patientId}/encounter_package`)
      .set('authorization', `Bearer ${this.token}`)
      .timeout(this.timeoutMs)
      .send(pkg);
    if (res.status === 202) {
      const jobId = String(res.headers.location).split('/').pop()!;
      this.accepted.push({ jobId, patientId, encounterId: pkg.encounter.id, valid });
    }
    return res;
  }

  poll(jobId: string) {
    return request(this.server)
      .get(`/api/jobs/${jobId}`)
      .set('authorization', `Bearer ${this.token}`)
      .timeout(this.timeoutMs);
  }

  /**
   * Submits `total` packages of the mix, `concurrency` at a time; every answer must be 202.
   * `before(n)` runs before the `n`th is sent (a test pauses the stream there).
   */
  async submitMix(
    total: number,
    concurrency: number,
    before: (n: number) => Promise<void> = async () => undefined,
  ): Promise<void> {
    let next = 0;
    const lane = async () => {
      for (let n = next++; n < total; n = next++) {
        await before(n);
        const { pkg, valid } = mixedPackage(n);
        const res = await this.submit(pkg, valid);
        if (res.status !== 202) {
          throw new Error(`Package ${n} answered ${res.status}: ${JSON.stringify(res.body)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, lane));
  }
}

/** How the accepted packages ended. */
export interface PackageAudit {
  /** Accepted, but the job is gone or still pending. */
  lost: string[];
  /** Finished, but not as it must: a valid package without its one encounter, or with a failure;
   *  a package breaking a rule that was stored, or did not fail with 422. */
  wrong: string[];
  /** Finished jobs by state. */
  states: Record<string, number>;
  /** Jobs that needed more than one run (their worker died, or the database went away). */
  rerun: number;
}

const CHUNK = 500;

/**
 * Checks every accepted package against the database: its job exists and is finished; a valid
 * package's job is processed and links to its encounter, stored once with its condition and visit;
 * a package breaking a rule failed with 422 and stored nothing.
 */
export async function auditPackages(
  db: DatabaseSession,
  accepted: AcceptedPackage[],
): Promise<PackageAudit> {
  const audit: PackageAudit = { lost: [], wrong: [], states: {}, rerun: 0 };
  const jobs = new Map<string, Job>();
  const stored = new Map<string, number>();
  for (let start = 0; start < accepted.length; start += CHUNK) {
    const slice = accepted.slice(start, start + CHUNK);
    for (const job of await db.dataSource
      .getRepository(Job)
      .findBy({ id: In(slice.map((entry) => entry.jobId)) })) {
      jobs.set(job.id, job);
    }
    const records = await db.query<{ encounter_id: string; n: string | number }>(
      `SELECT e.id AS encounter_id, COUNT(*) AS n
         FROM encounters e
         JOIN conditions c ON c.encounter_id = e.id
         JOIN visits v ON v.id = e.visit_id
        WHERE e.id IN (:...ids)
        GROUP BY e.id`,
      { ids: slice.map((entry) => entry.encounterId) },
    );
    for (const row of records) stored.set(row.encounter_id, Number(row.n));
  }
  for (const entry of accepted) {
    const job = jobs.get(entry.jobId);
    if (!job || job.state === 'waiting' || job.state === 'running') {
      audit.lost.push(entry.jobId);
      continue;
    }
    audit.states[job.state] = (audit.states[job.state] ?? 0) + 1;
    if (job.attempts > 1) audit.rerun += 1;
    const records = stored.get(entry.encounterId) ?? 0;
    const links = job.result?.kind === 'links' ? job.result.links : [];
    const ok = entry.valid
      ? job.state === 'processed' &&
        records === 1 &&
        links[0]?.href === `/api/patients/${entry.patientId}/encounters/${entry.encounterId}`
      : job.state === 'failed' && job.statusCode === 422 && records === 0;
    if (!ok) audit.wrong.push(entry.jobId);
  }
  return audit;
}

/** Jobs of any kind not finished yet (each suite has a database of its own). */
export async function pendingJobs(db: DatabaseSession): Promise<number> {
  const [row] = await db.query<{ n: string | number }>(
    `SELECT COUNT(*) AS n FROM jobs WHERE state IN ('waiting', 'running')`,
    {},
  );
  return Number(row.n);
}
