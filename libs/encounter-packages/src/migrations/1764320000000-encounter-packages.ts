import { ICD10_CODES } from './data/icd10-codes';
import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { instantType } from '@app/database';

/** The clinical records an encounter package creates, and the ICD-10 dictionary with its codes. */
export class EncounterPackages1764320000000 implements MigrationInterface {
  name = 'EncounterPackages1764320000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instant = instantType(queryRunner);
    const id = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
    const patientId = { name: 'patient_id', type: 'varchar', length: '36' };
    const resource = { name: 'resource', type: 'text' };
    const createdAt = { name: 'created_at', type: instant };
    const tables = [
      new Table({
        name: 'visits',
        columns: [
          id,
          patientId,
          { name: 'period_start', type: instant },
          { name: 'period_end', type: instant, isNullable: true },
          resource,
          createdAt,
        ],
        indices: [{ name: 'visits_patient_id', columnNames: ['patient_id'] }],
      }),
      new Table({
        name: 'encounters',
        columns: [
          id,
          patientId,
          { name: 'visit_id', type: 'varchar', length: '36' },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'class_code', type: 'varchar', length: '20' },
          { name: 'date', type: instant },
          resource,
          createdAt,
        ],
        indices: [{ name: 'encounters_patient_id', columnNames: ['patient_id'] }],
      }),
      new Table({
        name: 'conditions',
        columns: [
          id,
          patientId,
          { name: 'encounter_id', type: 'varchar', length: '36' },
          { name: 'code', type: 'varchar', length: '20' },
          resource,
          createdAt,
        ],
        indices: [{ name: 'conditions_patient_id', columnNames: ['patient_id'] }],
      }),
      new Table({
        name: 'icd10_codes',
        columns: [
          { name: 'code', type: 'varchar', length: '10', isPrimary: true },
          { name: 'description', type: 'varchar', length: '300' },
        ],
      }),
    ];
    for (const table of tables) await queryRunner.createTable(table);

    const rows = ICD10_CODES.map(([code, description]) => ({ code, description }));
    for (let start = 0; start < rows.length; start += 100) {
      await queryRunner.manager
        .createQueryBuilder()
        .insert()
        .into('icd10_codes', ['code', 'description'])
        .values(rows.slice(start, start + 100))
        .execute();
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['icd10_codes', 'conditions', 'encounters', 'visits']) {
      await queryRunner.dropTable(table);
    }
  }
}
