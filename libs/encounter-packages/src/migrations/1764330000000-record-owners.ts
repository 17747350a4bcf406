import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

const RECORD_TABLES = ['visits', 'encounters', 'conditions'] as const;
const ENCOUNTER_PACKAGE_JOB = 'encounter_package.create';

const ownerColumn = (withDefault: boolean) =>
  new TableColumn({
    name: 'client_id',
    type: 'varchar',
    length: '200',
    ...(withDefault ? { default: "''" } : {}),
  });

interface StoredPackage {
  package?: {
    visit?: { id?: string };
    encounter?: { id?: string };
    conditions?: { id?: string }[];
  };
}

/**
 * Patient records belong to the client (MIS) whose job stored them. Records of a processed job that
 * is still kept get that job's client; older ones (their job already purged) keep an empty owner,
 * which no client is, so they are readable by none.
 */
export class RecordOwners1764330000000 implements MigrationInterface {
  name = 'RecordOwners1764330000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of RECORD_TABLES) await queryRunner.addColumn(table, ownerColumn(true));

    const query = <T>(sql: string, values: Record<string, unknown>): Promise<T> => {
      const [statement, bound] = queryRunner.dataSource.driver.escapeQueryWithParameters(
        sql,
        values,
      );
      return queryRunner.query(statement, bound) as Promise<T>;
    };
    const jobs = await query<{ client_id: string; payload: string }[]>(
      'SELECT "client_id", "payload" FROM "jobs" WHERE "type" = :type AND "state" = :state',
      { type: ENCOUNTER_PACKAGE_JOB, state: 'processed' },
    );
    for (const job of jobs) {
      const pkg = (JSON.parse(job.payload) as StoredPackage).package ?? {};
      const owned: [string, (string | undefined)[]][] = [
        ['visits', [pkg.visit?.id]],
        ['encounters', [pkg.encounter?.id]],
        ['conditions', (pkg.conditions ?? []).map((condition) => condition.id)],
      ];
      for (const [table, ids] of owned) {
        for (const id of ids.filter((value): value is string => Boolean(value))) {
          await query(`UPDATE "${table}" SET "client_id" = :clientId WHERE "id" = :id`, {
            clientId: job.client_id,
            id,
          });
        }
      }
    }

    // Every new record names its owner: no default from here on.
    for (const table of RECORD_TABLES) {
      await queryRunner.changeColumn(table, 'client_id', ownerColumn(false));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of RECORD_TABLES) await queryRunner.dropColumn(table, 'client_id');
  }
}
