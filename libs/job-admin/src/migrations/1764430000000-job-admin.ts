import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { instantType } from '@app/database';

/**
 * The operators' tables: the audit of their actions, and the attempt history of every job. The
 * history is written by triggers on `jobs` from the columns the engine already sets (a claim bumps
 * `attempts` and sets `locked_by` and `started_at`; a completion or a reschedule leaves `running`;
 * a crash's `last_error` starts with its error id), so no statement of the engine changes for it.
 *
 * - a claim (`attempts` grows): the attempt still open, if any, ended `lease_expired` (its worker
 *   died and the job was claimed again); a new attempt starts;
 * - a claim given back unstarted (`attempts` shrinks): that attempt never ran, it is removed;
 * - `running` left with the same claim: the attempt ends as the job's new state (`rescheduled` when
 *   it waits again), with the error id of a crash;
 * - a job deleted (retention): its attempts go too.
 */
export class JobAdmin1764430000000 implements MigrationInterface {
  name = 'JobAdmin1764430000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instant = instantType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'job_admin_audit',
        columns: [
          {
            name: 'id',
            type: 'integer',
            isPrimary: true,
            isGenerated: true,
            generationStrategy: 'increment',
          },
          { name: 'at', type: instant },
          { name: 'operator', type: 'varchar', length: '200' },
          { name: 'action', type: 'varchar', length: '40' },
          { name: 'target', type: 'varchar', length: '200' },
          { name: 'request_id', type: 'varchar', length: '200' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'job_attempts',
        columns: [
          { name: 'job_id', type: 'varchar', length: '21', isPrimary: true },
          { name: 'attempt', type: 'integer', isPrimary: true },
          { name: 'worker', type: 'varchar', length: '64', isNullable: true },
          { name: 'started_at', type: instant, isNullable: true },
          { name: 'ended_at', type: instant, isNullable: true },
          { name: 'outcome', type: 'varchar', length: '20', isNullable: true },
          { name: 'error_id', type: 'varchar', length: '64', isNullable: true },
        ],
      }),
    );
    const statements =
      queryRunner.dataSource.options.type === 'postgres' ? POSTGRES_TRIGGERS : SQLITE_TRIGGERS;
    for (const statement of statements) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.dataSource.options.type === 'postgres';
    for (const statement of postgres ? POSTGRES_DROP : SQLITE_DROP) {
      await queryRunner.query(statement);
    }
    await queryRunner.dropTable('job_attempts');
    await queryRunner.dropTable('job_admin_audit');
  }
}

const OUTCOME = `CASE WHEN NEW.state = 'waiting' THEN 'rescheduled' ELSE NEW.state END`;

const POSTGRES_TRIGGERS = [
  `CREATE FUNCTION job_attempts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     IF NEW.attempts > OLD.attempts THEN
       UPDATE job_attempts SET ended_at = NEW.started_at, outcome = 'lease_expired'
        WHERE job_id = NEW.id AND ended_at IS NULL;
       INSERT INTO job_attempts (job_id, attempt, worker, started_at)
       VALUES (NEW.id, NEW.attempts, NEW.locked_by, NEW.started_at)
       ON CONFLICT DO NOTHING;
     ELSIF NEW.attempts < OLD.attempts THEN
       DELETE FROM job_attempts WHERE job_id = NEW.id AND attempt = OLD.attempts;
     ELSIF OLD.state = 'running' AND NEW.state <> 'running' THEN
       UPDATE job_attempts
          SET ended_at = NEW.updated_at, outcome = ${OUTCOME},
              error_id = CASE WHEN NEW.state = 'failed_with_error'
                              THEN left(split_part(NEW.last_error, ' ', 1), 64) END
        WHERE job_id = NEW.id AND attempt = NEW.attempts;
     END IF;
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER job_attempts_follow AFTER UPDATE OF state, attempts ON jobs
     FOR EACH ROW WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.attempts IS DISTINCT FROM NEW.attempts)
     EXECUTE FUNCTION job_attempts_follow()`,
  `CREATE FUNCTION job_attempts_forget() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     DELETE FROM job_attempts WHERE job_id IN (SELECT id FROM gone);
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER job_attempts_forget AFTER DELETE ON jobs
     REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION job_attempts_forget()`,
];

const POSTGRES_DROP = [
  'DROP TRIGGER IF EXISTS job_attempts_forget ON jobs',
  'DROP TRIGGER IF EXISTS job_attempts_follow ON jobs',
  'DROP FUNCTION IF EXISTS job_attempts_forget()',
  'DROP FUNCTION IF EXISTS job_attempts_follow()',
];

const SQLITE_TRIGGERS = [
  `CREATE TRIGGER job_attempts_claimed AFTER UPDATE OF attempts ON jobs
     FOR EACH ROW WHEN NEW.attempts > OLD.attempts
   BEGIN
     UPDATE job_attempts SET ended_at = NEW.started_at, outcome = 'lease_expired'
      WHERE job_id = NEW.id AND ended_at IS NULL;
     INSERT OR IGNORE INTO job_attempts (job_id, attempt, worker, started_at)
     VALUES (NEW.id, NEW.attempts, NEW.locked_by, NEW.started_at);
   END`,
  `CREATE TRIGGER job_attempts_given_back AFTER UPDATE OF attempts ON jobs
     FOR EACH ROW WHEN NEW.attempts < OLD.attempts
   BEGIN
     DELETE FROM job_attempts WHERE job_id = NEW.id AND attempt = OLD.attempts;
   END`,
  `CREATE TRIGGER job_attempts_ended AFTER UPDATE OF state ON jobs
     FOR EACH ROW WHEN OLD.state = 'running' AND NEW.state <> 'running' AND NEW.attempts = OLD.attempts
   BEGIN
     UPDATE job_attempts
        SET ended_at = NEW.updated_at, outcome = ${OUTCOME},
            error_id = CASE WHEN NEW.state = 'failed_with_error'
                            THEN substr(NEW.last_error, 1, min(64, instr(NEW.last_error || ' ', ' ') - 1)) END
      WHERE job_id = NEW.id AND attempt = NEW.attempts;
   END`,
  `CREATE TRIGGER job_attempts_forget AFTER DELETE ON jobs FOR EACH ROW
   BEGIN
     DELETE FROM job_attempts WHERE job_id = OLD.id;
   END`,
];

const SQLITE_DROP = [
  'DROP TRIGGER IF EXISTS job_attempts_forget',
  'DROP TRIGGER IF EXISTS job_attempts_ended',
  'DROP TRIGGER IF EXISTS job_attempts_given_back',
  'DROP TRIGGER IF EXISTS job_attempts_claimed',
];
