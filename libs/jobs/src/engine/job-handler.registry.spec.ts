import { Injectable } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test, TestingModule } from '@nestjs/testing';
import { JobContext, JobOutcome } from './job-outcome';
import { JobHandler } from './job-handler.decorator';
import { JobHandlerRegistry } from './job-handler.registry';

@Injectable()
class GreetingHandlers {
  private readonly greeting = 'Вітаю';

  @JobHandler('greeting.send')
  async send(job: JobContext<{ name: string }>): Promise<JobOutcome> {
    return JobOutcome.data(`${this.greeting}, ${job.payload.name}`);
  }

  notAHandler(): string {
    return 'plain method';
  }
}

@Injectable()
class OtherGreetingHandlers {
  @JobHandler('greeting.send')
  async send(): Promise<JobOutcome> {
    return JobOutcome.data('second');
  }
}

@Injectable()
class EpisodeHandlers {
  @JobHandler('episode.close')
  async close(job: JobContext): Promise<JobOutcome> {
    return JobOutcome.links([{ entity: 'episode', href: `/api/episodes/${job.id}` }]);
  }
}

function context(type: string, payload: Record<string, unknown>): JobContext {
  return {
    id: 'NBXk9EyErUZv1RhXgyvgg',
    type,
    clientId: 'client-a',
    payload,
    attempt: 1,
    signal: new AbortController().signal,
  };
}

async function compile(...handlers: (new () => object)[]): Promise<TestingModule> {
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [JobHandlerRegistry, ...handlers],
  }).compile();
  moduleRef.useLogger(false);
  return moduleRef;
}

describe('JobHandlerRegistry', () => {
  describe('with one handler per type', () => {
    let moduleRef: TestingModule;
    let registry: JobHandlerRegistry;

    beforeEach(async () => {
      moduleRef = await compile(GreetingHandlers, EpisodeHandlers);
      await moduleRef.init();
      registry = moduleRef.get(JobHandlerRegistry);
    });

    afterEach(() => moduleRef.close());

    it('runs the decorated method bound to its provider instance', async () => {
      const run = registry.find('greeting.send');
      expect(run).toBeDefined();
      await expect(run!(context('greeting.send', { name: 'Олена' }))).resolves.toEqual({
        kind: 'data',
        response_data: 'Вітаю, Олена',
        persist: undefined,
      });
    });

    it('finds the handlers of every provider', async () => {
      expect(registry.has('greeting.send')).toBe(true);
      expect(registry.has('episode.close')).toBe(true);
      await expect(registry.find('episode.close')!(context('episode.close', {}))).resolves.toEqual({
        kind: 'links',
        links: [{ entity: 'episode', href: '/api/episodes/NBXk9EyErUZv1RhXgyvgg' }],
        persist: undefined,
      });
    });

    it('knows nothing of an undeclared type', () => {
      expect(registry.find('x.unknown')).toBeUndefined();
      expect(registry.has('x.unknown')).toBe(false);
      expect(registry.has('notAHandler')).toBe(false);
    });
  });

  it('refuses to start when two providers handle the same type', async () => {
    const moduleRef = await compile(GreetingHandlers, OtherGreetingHandlers);
    await expect(moduleRef.init()).rejects.toThrow(/greeting\.send/);
    // No close(): it awaits the failed init again and rethrows; the module holds no resources.
  });
});
