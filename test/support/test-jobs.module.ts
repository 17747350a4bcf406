import { DatabaseSession } from '@app/database';
import { JobContext, JobFailure, JobHandler, JobOutcome, TransientJobError } from '@app/jobs';
import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { IsIn, IsInt, IsString, Min, validateOrReject } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { EntityManager } from 'typeorm';

/** Gates the tests open to let a `test.gate` job finish. */
@Injectable()
export class TestGates {
  private readonly gates = new Map<string, { open: () => void; opened: Promise<void> }>();

  private gate(key: string) {
    let entry = this.gates.get(key);
    if (!entry) {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      entry = { open, opened };
      this.gates.set(key, entry);
    }
    return entry;
  }

  open(key: string): void {
    this.openKeys.add(key);
    this.gate(key).open();
  }

  opened(key: string): Promise<void> {
    return this.gate(key).opened;
  }

  private readonly openKeys = new Set<string>();

  isOpen(key: string): boolean {
    return this.openKeys.has(key);
  }
}

/** How many times each `test.count` job's handler ran, in this process. */
@Injectable()
export class TestRuns {
  private readonly runs = new Map<string, number>();

  record(jobId: string): void {
    this.runs.set(jobId, (this.runs.get(jobId) ?? 0) + 1);
  }

  of(jobId: string): number {
    return this.runs.get(jobId) ?? 0;
  }
}

class ThingDto {
  @IsString()
  name: string;

  @IsIn(['small', 'large'])
  size: string;

  @IsInt()
  @Min(1)
  count: number;
}

/** Records a job's side effect in the completion's transaction: it commits only with the job. */
async function recordEffect(
  manager: EntityManager,
  db: DatabaseSession,
  jobId: string,
  attempt: number,
) {
  await db.query(
    'INSERT INTO test_effects (job_id, attempt) VALUES (:jobId, :attempt)',
    { jobId, attempt },
    manager,
  );
}

/** A job type for every outcome of SPEC section 4, driven through the real worker. */
@Injectable()
export class TestJobHandlers implements OnModuleInit {
  constructor(
    private readonly gates: TestGates,
    private readonly runs: TestRuns,
    private readonly db: DatabaseSession,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.db.serialized(() =>
      this.db.query(
        'CREATE TABLE IF NOT EXISTS test_effects (job_id varchar(21) NOT NULL, attempt integer NOT NULL)',
        {},
      ),
    );
  }

  @JobHandler('test.links')
  async links(job: JobContext<{ n: number }>): Promise<JobOutcome> {
    return JobOutcome.links(
      [
        { entity: 'thing', href: `/api/things/${job.payload.n}` },
        { entity: 'part', href: `/api/things/${job.payload.n}/parts/1` },
      ],
      (manager) => recordEffect(manager, this.db, job.id, job.attempt),
    );
  }

  @JobHandler('test.data')
  async data(job: JobContext): Promise<JobOutcome> {
    return JobOutcome.data({ echo: job.payload });
  }

  @JobHandler('test.invalid')
  async invalid(job: JobContext): Promise<JobOutcome> {
    await validateOrReject(plainToInstance(ThingDto, job.payload));
    return JobOutcome.data('valid');
  }

  @JobHandler('test.conflict')
  async conflict(): Promise<JobOutcome> {
    throw JobFailure.conflict('Thing 42 already exists.');
  }

  @JobHandler('test.forbidden')
  async forbidden(): Promise<JobOutcome> {
    throw JobFailure.forbidden('The thing belongs to another legal entity.');
  }

  @JobHandler('test.crash')
  async crash(): Promise<JobOutcome> {
    throw new Error('relation "secrets" does not exist: SELECT * FROM secrets');
  }

  /** Crashes (`failed_with_error`) until its gate is open: a cause an operator fixes, then retries. */
  @JobHandler('test.flaky')
  async flaky(job: JobContext<{ gate: string }>): Promise<JobOutcome> {
    if (!this.gates.isOpen(job.payload.gate))
      throw new Error('the registry rejected our certificate');
    return JobOutcome.data({ gate: job.payload.gate, attempt: job.attempt });
  }

  @JobHandler('test.transient')
  async transient(job: JobContext<{ succeedAt: number }>): Promise<JobOutcome> {
    if (job.attempt < job.payload.succeedAt) throw new TransientJobError('the registry timed out');
    return JobOutcome.data({ attempt: job.attempt });
  }

  @JobHandler('test.big')
  async big(): Promise<JobOutcome> {
    const invalid = Array.from({ length: 200 }, (_, i) => ({
      entry_type: 'json_data_property' as const,
      entry: `$.items.[${i}].code`,
      rules: [
        {
          rule: 'inclusion',
          params: Array.from({ length: 20 }, (__, j) => `code-${j}`),
          description: 'value is not allowed',
        },
      ],
    }));
    throw JobFailure.validation(invalid);
  }

  @JobHandler('test.gate')
  async gate(job: JobContext<{ gate: string }>): Promise<JobOutcome> {
    await this.gates.opened(job.payload.gate);
    return JobOutcome.data({ gate: job.payload.gate });
  }

  /** Counts its runs (`TestRuns`) and writes nothing else: its completion goes with a batch. */
  @JobHandler('test.count')
  async count(job: JobContext<{ n?: number }>): Promise<JobOutcome> {
    this.runs.record(job.id);
    return JobOutcome.data({ n: job.payload.n ?? 0 });
  }

  /** Sleeps, then records its side effect with the completion (crash and load tests). */
  @JobHandler('test.effect')
  async effect(job: JobContext<{ ms?: number }>): Promise<JobOutcome> {
    if (job.payload.ms) await new Promise((resolve) => setTimeout(resolve, job.payload.ms));
    return JobOutcome.data({ done: job.id }, (manager) =>
      recordEffect(manager, this.db, job.id, job.attempt),
    );
  }
}

@Module({ providers: [TestGates, TestRuns, TestJobHandlers], exports: [TestGates, TestRuns] })
export class TestJobsModule {}
