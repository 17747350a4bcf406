import { Public } from '@app/auth';
import { AppConfig } from '@app/config';
import { ApiErrorResponse, ApiException } from '@app/http';
import { JobWorker, WorkersRepository } from '@app/jobs';
import { Controller, Get } from '@nestjs/common';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';

const PING_TIMEOUT_MS = 1_500;

/** Probes for the orchestrator; no token needed, nothing about patients in them. */
@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly worker: JobWorker,
    private readonly workers: WorkersRepository,
    private readonly config: AppConfig,
  ) {}

  /** The process answers. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers. No token.' })
  @ApiOkResponse({ description: 'The process is alive.' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /**
   * Ready for traffic: the database answers, every migration is applied, and the worker loop runs
   * where this process runs one. 503 `service_unavailable` naming what is not ready otherwise.
   * The live workers of the whole deployment are reported in `details.workers.live` without
   * deciding readiness: with none, the API still accepts (jobs wait), and an alert should fire.
   */
  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: database, migrations and worker loop; the live workers. No token.',
  })
  @ApiOkResponse({ description: 'Ready for traffic.' })
  @ApiErrorResponse(503, { description: 'Not ready; the message names what is not.' })
  async ready(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.database.pingCheck('database', { timeout: PING_TIMEOUT_MS }),
        () => this.migrations(),
        () => this.workerLoop(),
        () => this.liveWorkers(),
      ]);
    } catch (error) {
      const failing = Object.keys(
        (error as { response?: { error?: object } }).response?.error ?? { database: true },
      );
      throw new ApiException(
        'service_unavailable',
        `Not ready: ${failing.join(', ')}.`,
        undefined,
        { 'retry-after': '5' },
      );
    }
  }

  private async migrations() {
    const check = this.indicators.check('migrations');
    if (!this.dataSource.isInitialized) return check.down({ reason: 'no connection' });
    return (await this.dataSource.showMigrations()) ? check.down({ pending: true }) : check.up();
  }

  /** Reported, never deciding: `live: null` when the count cannot be read (the database is down). */
  private async liveWorkers() {
    const live = await this.workers.countLive(new Date()).catch(() => null);
    return this.indicators.check('workers').up({ live });
  }

  private workerLoop() {
    const check = this.indicators.check('worker');
    if (!this.config.jobs.workerEnabled) return check.up({ runs_here: false });
    return this.worker.isRunning ? check.up({ active_jobs: this.worker.activeJobs }) : check.down();
  }
}
