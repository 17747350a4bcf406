import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';

/** Serves `GET /metrics` (see `MetricsController`); the metrics themselves are in `metrics.ts`. */
@Module({ controllers: [MetricsController] })
export class MetricsModule {}
