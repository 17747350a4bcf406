import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** An encounter may belong to an episode of care (`@app/episodes`). */
export class EncounterEpisodes1764410000000 implements MigrationInterface {
  name = 'EncounterEpisodes1764410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'encounters',
      new TableColumn({ name: 'episode_id', type: 'varchar', length: '36', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('encounters', 'episode_id');
  }
}
