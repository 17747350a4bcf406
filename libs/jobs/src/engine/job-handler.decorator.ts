import { Reflector } from '@nestjs/core';

/**
 * Marks a provider method as the handler of a job type. The method receives a `JobContext` and
 * returns a `JobOutcome`, or throws a `JobFailure`. Handlers are found at start-up; one type, one
 * handler.
 *
 * ```ts
 * @JobHandler('encounter_package.create')
 * async create(job: JobContext<EncounterPackage>): Promise<JobOutcome> { ... }
 * ```
 */
export const JobHandler = Reflector.createDecorator<string>();
