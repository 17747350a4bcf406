import { DynamicModule, Type } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EntitySchema, MigrationInterface } from 'typeorm';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type EntityClass = Function | EntitySchema;
export type MigrationClass = new () => MigrationInterface;

/** What a library keeps in the database: its entities and the migrations that make their tables. */
export interface FeatureTables {
  entities: EntityClass[];
  migrations: MigrationClass[];
}

const TABLES = Symbol('featureTables');

/** The module `DatabaseModule.forFeature` returns; one per library that owns tables. */
class FeatureTablesModule {}

type TablesModule = DynamicModule & { [TABLES]: FeatureTables };
type ModuleRef = NonNullable<DynamicModule['imports']>[number] | undefined;

export function featureTablesModule(tables: FeatureTables): DynamicModule {
  const repositories = TypeOrmModule.forFeature(tables.entities);
  const module: TablesModule = {
    module: FeatureTablesModule,
    imports: [repositories],
    exports: [repositories],
    [TABLES]: tables,
  };
  return module;
}

/** The timestamp TypeORM orders migrations by: the 13 digits that end the class name. */
const timestampOf = (migration: MigrationClass) => Number(/(\d{13})$/.exec(migration.name)?.[1]);

/**
 * Every entity and migration declared by `DatabaseModule.forFeature` in the modules reachable from
 * `roots` (through their imports), each once; migrations oldest first.
 */
export function tablesOf(roots: ModuleRef[]): FeatureTables {
  const entities = new Set<EntityClass>();
  const migrations = new Set<MigrationClass>();
  const seen = new Set<unknown>();
  const visit = (ref: ModuleRef): void => {
    if (!ref || ref instanceof Promise || 'forwardRef' in ref || seen.has(ref)) return;
    seen.add(ref);
    const dynamic = 'module' in ref ? ref : undefined;
    const tables = (dynamic as Partial<TablesModule> | undefined)?.[TABLES];
    for (const entity of tables?.entities ?? []) entities.add(entity);
    for (const migration of tables?.migrations ?? []) migrations.add(migration);
    const type = dynamic ? dynamic.module : (ref as Type<unknown>);
    const imports = [
      ...((Reflect.getMetadata('imports', type) as ModuleRef[] | undefined) ?? []),
      ...((dynamic?.imports as ModuleRef[] | undefined) ?? []),
    ];
    for (const imported of imports) visit(imported);
  };
  for (const root of roots) visit(root);
  return {
    entities: [...entities],
    migrations: [...migrations].sort((a, b) => timestampOf(a) - timestampOf(b)),
  };
}
