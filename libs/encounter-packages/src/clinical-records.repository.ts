import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isRecordId } from '@app/patients';
import { EntityManager, In, Repository } from 'typeorm';
import { ClinicalFacts } from './clinical-rules';
import { EncounterPackageDto } from './dto/encounter-package.dto';
import { Condition } from './entities/condition.entity';
import { Encounter } from './entities/encounter.entity';
import { Icd10Code } from './entities/icd10-code.entity';
import { Visit } from './entities/visit.entity';

/** Whose records: the client (MIS) that stores and reads them, and the patient they are about. */
export interface RecordOwner {
  clientId: string;
  patientId: string;
}

export interface TakenId {
  entity: 'Visit' | 'Encounter' | 'Condition';
  id: string;
}

/** The named queries on visits, encounters, conditions and the ICD-10 dictionary. */
@Injectable()
export class ClinicalRecordsRepository {
  constructor(
    @InjectRepository(Visit) private readonly visits: Repository<Visit>,
    @InjectRepository(Encounter) private readonly encounters: Repository<Encounter>,
    @InjectRepository(Condition) private readonly conditions: Repository<Condition>,
    @InjectRepository(Icd10Code) private readonly icd10: Repository<Icd10Code>,
  ) {}

  /**
   * The visits and conditions the package refers to that this client stored for this patient, and
   * the package's known ICD-10 codes. Another client's records count as absent.
   */
  async factsFor(owner: RecordOwner, pkg: EncounterPackageDto): Promise<ClinicalFacts> {
    const { clientId, patientId } = owner;
    const visitIds = [pkg.encounter.visit.identifier.value];
    const conditionIds = pkg.encounter.diagnoses.map(
      (diagnosis) => diagnosis.condition.identifier.value,
    );
    // No ICD-10 code holds a NUL byte, which PostgreSQL refuses in a query: such a code is unknown.
    const codes = (pkg.conditions ?? [])
      .map((condition) => condition.code.coding[0]?.code)
      .filter((code) => code && !code.includes('\u0000'));
    const [visits, conditions, known] = await Promise.all([
      this.visits.find({ select: { id: true }, where: { clientId, patientId, id: In(visitIds) } }),
      this.conditions.find({
        select: { id: true },
        where: { clientId, patientId, id: In(conditionIds) },
      }),
      codes.length > 0
        ? this.icd10.find({ select: { code: true }, where: { code: In(codes) } })
        : [],
    ]);
    return {
      storedVisitIds: new Set(visits.map((visit) => visit.id)),
      storedConditionIds: new Set(conditions.map((condition) => condition.id)),
      knownIcd10Codes: new Set(known.map((row) => row.code)),
    };
  }

  /**
   * The first id of the package that already exists, for any patient and any client: ids are
   * global, so another client's id is a conflict too (its record stays unreadable).
   */
  async firstTakenId(pkg: EncounterPackageDto): Promise<TakenId | undefined> {
    if (await this.encounters.existsBy({ id: pkg.encounter.id })) {
      return { entity: 'Encounter', id: pkg.encounter.id };
    }
    const conditionIds = (pkg.conditions ?? []).map((condition) => condition.id);
    if (conditionIds.length > 0) {
      const taken = await this.conditions.findOne({
        select: { id: true },
        where: { id: In(conditionIds) },
      });
      if (taken) return { entity: 'Condition', id: taken.id };
    }
    if (pkg.visit && (await this.visits.existsBy({ id: pkg.visit.id }))) {
      return { entity: 'Visit', id: pkg.visit.id };
    }
    return undefined;
  }

  /** Stores the package's visit, encounter and conditions in the caller's transaction. */
  async store(manager: EntityManager, owner: RecordOwner, pkg: EncounterPackageDto): Promise<void> {
    const { clientId, patientId } = owner;
    const createdAt = new Date();
    if (pkg.visit) {
      await manager.insert(Visit, {
        id: pkg.visit.id,
        patientId,
        clientId,
        periodStart: new Date(pkg.visit.period.start),
        periodEnd: pkg.visit.period.end ? new Date(pkg.visit.period.end) : null,
        resource: { ...pkg.visit },
        createdAt,
      });
    }
    await manager.insert(Encounter, {
      id: pkg.encounter.id,
      patientId,
      clientId,
      visitId: pkg.encounter.visit.identifier.value,
      episodeId: pkg.encounter.episode?.identifier.value ?? null,
      status: pkg.encounter.status,
      classCode: pkg.encounter.class.code,
      date: new Date(pkg.encounter.date),
      resource: { ...pkg.encounter },
      createdAt,
    });
    for (const condition of pkg.conditions ?? []) {
      await manager.insert(Condition, {
        id: condition.id,
        patientId,
        clientId,
        encounterId: pkg.encounter.id,
        code: condition.code.coding[0].code,
        resource: { ...condition },
        createdAt,
      });
    }
  }

  /**
   * The owner's visit; another client's or another patient's is null, as an unknown id is. Record
   * ids are UUIDs: any other id is null without a query (PostgreSQL refuses a NUL byte in a string).
   */
  findVisit(owner: RecordOwner, id: string): Promise<Visit | null> {
    return isRecordId(id) ? this.visits.findOneBy({ ...owner, id }) : Promise.resolve(null);
  }

  findEncounter(owner: RecordOwner, id: string): Promise<Encounter | null> {
    return isRecordId(id) ? this.encounters.findOneBy({ ...owner, id }) : Promise.resolve(null);
  }

  findCondition(owner: RecordOwner, id: string): Promise<Condition | null> {
    return isRecordId(id) ? this.conditions.findOneBy({ ...owner, id }) : Promise.resolve(null);
  }
}
