import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { PagedList, PageQuery, pageWindow } from './paging';

describe('paging', () => {
  it('counts the pages of a list, the last one partial', () => {
    const query = plainToInstance(PageQuery, { page: '3', page_size: '50' });
    expect(PagedList.of([], query, 312).paging).toEqual({
      page_number: 3,
      page_size: 50,
      total_entries: 312,
      total_pages: 7,
    });
    expect(pageWindow(query)).toEqual({ offset: 100, limit: 50 });
    expect(PagedList.of([], query, 0).paging.total_pages).toBe(0);
  });

  it('defaults to the first page of 50, and refuses pages beyond the contract', async () => {
    const defaults = plainToInstance(PageQuery, {});
    expect([defaults.page, defaults.page_size]).toEqual([1, 50]);
    for (const bad of [{ page: '0' }, { page_size: '301' }, { page: 'x' }, { page_size: '1.5' }]) {
      expect(await validate(plainToInstance(PageQuery, bad))).not.toEqual([]);
    }
    expect(await validate(plainToInstance(PageQuery, { page: '2', page_size: '300' }))).toEqual([]);
  });
});
