import { ApiProperty } from '@nestjs/swagger';

/**
 * Where a page of a list sits in the whole list: sent beside `data` and `meta` by every list route
 * (eHealth's `paging`).
 */
export class Paging {
  /** The page answered, from 1. */
  @ApiProperty({ type: 'integer', minimum: 1, example: 1 })
  page_number: number;

  /** Entries per page, as asked (or the default). */
  @ApiProperty({ type: 'integer', minimum: 1, example: 50 })
  page_size: number;

  /** Entries in the whole list. */
  @ApiProperty({ type: 'integer', minimum: 0, example: 312 })
  total_entries: number;

  /** Pages in the whole list; an empty list has one (empty) page. */
  @ApiProperty({ type: 'integer', minimum: 1, example: 7 })
  total_pages: number;
}
