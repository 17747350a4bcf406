import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A code of one of the dictionaries episodes use (`eHealth/episode_types`, ...). */
@Entity({ name: 'episode_dictionary_codes' })
export class EpisodeDictionaryCode {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  dictionary: string;

  @PrimaryColumn({ type: 'varchar', length: 100 })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  description: string;
}
