import { instantType } from '@app/database';
import { MigrationInterface, QueryRunner, Table } from 'typeorm';

/** The codes each dictionary starts with; more come in a migration of their own. */
const DICTIONARY_CODES: [dictionary: string, code: string, description: string][] = [
  ['eHealth/episode_types', 'primary_care', 'Primary care'],
  ['eHealth/episode_types', 'treatment', 'Treatment'],
  ['eHealth/episode_closing_reasons', 'legal_entity', 'Care goes on with another legal entity'],
  ['eHealth/episode_closing_reasons', 'cured', 'Cured'],
  ['eHealth/cancellation_reasons', 'misspelling', 'Entered in error'],
];

/** Episodes of care, their status history, the encounters in them, and their dictionaries. */
export class Episodes1764400000000 implements MigrationInterface {
  name = 'Episodes1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const instant = instantType(queryRunner);
    const tables = [
      new Table({
        name: 'episodes',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'patient_id', type: 'varchar', length: '36' },
          { name: 'client_id', type: 'varchar', length: '200' },
          { name: 'type_code', type: 'varchar', length: '100' },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'name', type: 'text' },
          { name: 'managing_organization', type: 'varchar', length: '200' },
          { name: 'care_manager_id', type: 'varchar', length: '36' },
          { name: 'period_start', type: 'varchar', length: '10' },
          { name: 'period_end', type: 'varchar', length: '10', isNullable: true },
          { name: 'status_reason', type: 'text', isNullable: true },
          { name: 'closing_summary', type: 'text', isNullable: true },
          { name: 'explanatory_letter', type: 'text', isNullable: true },
          { name: 'created_at', type: instant },
          { name: 'updated_at', type: instant },
        ],
        indices: [
          {
            name: 'episodes_patient_client',
            columnNames: ['patient_id', 'client_id', 'created_at'],
          },
        ],
      }),
      new Table({
        name: 'episode_status_history',
        columns: [
          { name: 'episode_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'position', type: 'integer', isPrimary: true },
          { name: 'status', type: 'varchar', length: '20' },
          { name: 'status_reason', type: 'text', isNullable: true },
          { name: 'inserted_at', type: instant },
          { name: 'inserted_by', type: 'varchar', length: '200' },
        ],
      }),
      new Table({
        name: 'episode_encounters',
        columns: [
          { name: 'encounter_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'episode_id', type: 'varchar', length: '36' },
          { name: 'created_at', type: instant },
        ],
        indices: [{ name: 'episode_encounters_episode_id', columnNames: ['episode_id'] }],
      }),
      new Table({
        name: 'episode_dictionary_codes',
        columns: [
          { name: 'dictionary', type: 'varchar', length: '100', isPrimary: true },
          { name: 'code', type: 'varchar', length: '100', isPrimary: true },
          { name: 'description', type: 'varchar', length: '300' },
        ],
      }),
    ];
    for (const table of tables) await queryRunner.createTable(table);

    await queryRunner.manager
      .createQueryBuilder()
      .insert()
      .into('episode_dictionary_codes', ['dictionary', 'code', 'description'])
      .values(
        DICTIONARY_CODES.map(([dictionary, code, description]) => ({
          dictionary,
          code,
          description,
        })),
      )
      .execute();
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'episode_dictionary_codes',
      'episode_encounters',
      'episode_status_history',
      'episodes',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
