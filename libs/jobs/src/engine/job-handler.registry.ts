import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { JobContext, JobOutcome } from './job-outcome';
import { JobHandler } from './job-handler.decorator';

export type RunJob = (context: JobContext) => Promise<JobOutcome>;

/** Every `@JobHandler` of the application, found once at start-up. */
@Injectable()
export class JobHandlerRegistry implements OnModuleInit {
  private readonly logger = new Logger('JobHandlerRegistry');
  private readonly handlers = new Map<string, RunJob>();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object | null;
      if (!prototype) continue;
      for (const name of this.scanner.getAllMethodNames(prototype)) {
        const method = instance[name];
        if (typeof method !== 'function') continue;
        const type = this.reflector.get(JobHandler, method as () => unknown);
        if (type) this.register(type, (method as RunJob).bind(instance), `${wrapper.name}.${name}`);
      }
    }
  }

  register(type: string, run: RunJob, where = 'a handler'): void {
    if (this.handlers.has(type)) {
      throw new Error(`Job type ${type} has two handlers; ${where} is the second.`);
    }
    this.handlers.set(type, run);
    this.logger.log(`Job type ${type} is handled by ${where}`);
  }

  find(type: string): RunJob | undefined {
    return this.handlers.get(type);
  }

  has(type: string): boolean {
    return this.handlers.has(type);
  }

  /** Every job type with a handler, sorted. */
  types(): string[] {
    return [...this.handlers.keys()].sort();
  }
}
