import { PageQuery } from '@app/http';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { EPISODE_STATUSES, EpisodeStatus } from '../episode';

/** `GET /api/patients/{patient_id}/episodes?status=active&page=1&page_size=50` */
export class EpisodeListQueryDto extends PageQuery {
  @ApiPropertyOptional({ enum: EPISODE_STATUSES, description: 'Only the episodes in this status.' })
  @IsOptional()
  @IsIn(EPISODE_STATUSES)
  status?: EpisodeStatus;
}
