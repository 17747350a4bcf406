import { Paging } from './paging.schema';

/**
 * What a list route returns: one page of entries and where it sits in the whole list. The adapter
 * sends it as `{data: entries, meta, paging}` (`meta.type` `list`).
 */
export class PagedList<T> {
  constructor(
    readonly entries: T[],
    readonly paging: Paging,
  ) {}

  /** The page `page` (of `pageSize` entries) of a list of `totalEntries`. */
  static of<T>(
    entries: T[],
    totalEntries: number,
    page: { page: number; page_size: number },
  ): PagedList<T> {
    return new PagedList(entries, {
      page_number: page.page,
      page_size: page.page_size,
      total_entries: totalEntries,
      total_pages: Math.max(1, Math.ceil(totalEntries / page.page_size)),
    });
  }
}
