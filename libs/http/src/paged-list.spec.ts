import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { PageQuery } from './page-query.dto';
import { PagedList } from './paged-list';

describe('PagedList', () => {
  it('says where the page sits: total pages rounded up, one page for an empty list', () => {
    expect(PagedList.of(['a'], 312, { page: 7, page_size: 50 }).paging).toEqual({
      page_number: 7,
      page_size: 50,
      total_entries: 312,
      total_pages: 7,
    });
    expect(PagedList.of([], 0, { page: 1, page_size: 50 }).paging.total_pages).toBe(1);
    expect(PagedList.of([], 300, { page: 2, page_size: 300 }).paging.total_pages).toBe(1);
  });
});

describe('PageQuery', () => {
  const read = async (query: Record<string, unknown>) => {
    const page = plainToInstance(PageQuery, query);
    return { page, errors: (await validate(page)).map((error) => error.property) };
  };

  it('defaults to the first page of 50, and skips the pages before the one asked', async () => {
    expect(await read({})).toMatchObject({
      page: { page: 1, page_size: 50, offset: 0 },
      errors: [],
    });
    const { page } = await read({ page: '3', page_size: '20' });
    expect([page.page, page.page_size, page.offset]).toEqual([3, 20, 40]);
  });

  it.each([
    ['page', '0'],
    ['page', 'x'],
    ['page', '1.5'],
    ['page_size', '0'],
    ['page_size', '301'],
  ])('refuses %s=%s', async (name, value) => {
    expect((await read({ [name]: value })).errors).toEqual([name]);
  });
});
