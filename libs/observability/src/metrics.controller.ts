import { Public } from '@app/auth';
import { AppConfig } from '@app/config';
import { ApiErrorResponse, ApiException } from '@app/http';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Controller, Get, Headers, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { metricsRegistry } from './metrics';

/**
 * Prometheus metrics, for a scraper holding `METRICS_TOKEN` (as a bearer token). Without a token
 * configured the route does not exist (404); with a wrong one it answers 401.
 */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly config: AppConfig) {}

  @Get()
  @Public()
  @ApiOperation({
    summary: 'Prometheus metrics, for a scraper holding METRICS_TOKEN as its bearer token.',
  })
  @ApiOkResponse({
    description: 'The metrics in the Prometheus text format.',
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  @ApiErrorResponse(401, { description: 'Missing or wrong METRICS_TOKEN.' })
  @ApiErrorResponse(404, { description: 'No METRICS_TOKEN is configured.' })
  async metrics(
    @Headers('authorization') authorization: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const expected = this.config.operations.metricsToken;
    if (!expected) throw ApiException.notFound();
    if (!sameSecret(authorization ?? '', `Bearer ${expected}`)) throw ApiException.invalidToken();
    await reply
      .header('content-type', metricsRegistry.contentType)
      .header('cache-control', 'no-store')
      .send(await metricsRegistry.metrics());
  }
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
