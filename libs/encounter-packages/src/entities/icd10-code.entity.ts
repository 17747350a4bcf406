import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The ICD-10 dictionary condition codes are checked against. */
@Entity({ name: 'icd10_codes' })
export class Icd10Code {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  description: string;
}
