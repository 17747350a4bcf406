import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The largest page a list answers (SPEC section 8). */
export const MAX_PAGE_SIZE = 300;
export const DEFAULT_PAGE_SIZE = 50;

/** `page` and `page_size` of a list's query string; a list's query DTO extends it. */
export class PageQuery {
  /** The page to answer, from 1. */
  @ApiProperty({ required: false, type: 'integer', minimum: 1, default: 1, example: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page: number = 1;

  /** Items per page. */
  @ApiProperty({
    required: false,
    type: 'integer',
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    default: DEFAULT_PAGE_SIZE,
    example: DEFAULT_PAGE_SIZE,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  page_size: number = DEFAULT_PAGE_SIZE;
}

/** Sent beside `data` and `meta` by every list (eHealth's convention). */
export class Paging {
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  page_number: number;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, example: 50 })
  page_size: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 312 })
  total_entries: number;

  @ApiProperty({ type: 'integer', minimum: 0, example: 7 })
  total_pages: number;
}

/**
 * What a list route returns: one page of items and its paging. The adapter answers it as
 * `{data, meta, paging}`.
 */
export class PagedList<T> {
  constructor(
    readonly data: T[],
    readonly paging: Paging,
  ) {}

  static of<T>(items: T[], query: PageQuery, totalEntries: number): PagedList<T> {
    return new PagedList(items, {
      page_number: query.page,
      page_size: query.page_size,
      total_entries: totalEntries,
      total_pages: Math.ceil(totalEntries / query.page_size),
    });
  }
}

/** The rows a page skips and takes. */
export function pageWindow(query: PageQuery): { offset: number; limit: number } {
  return { offset: (query.page - 1) * query.page_size, limit: query.page_size };
}
