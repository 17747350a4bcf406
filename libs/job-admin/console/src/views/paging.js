import { html } from 'htm/preact';

/** Previous and next page links, keeping the other parameters of the view. */
export function Pager({ paging, path, query }) {
  if (!paging || paging.total_pages <= 1) return null;
  const to = (page) => {
    const next = new URLSearchParams(query);
    next.set('page', String(page));
    return `#${path}?${next}`;
  };
  const { page_number: page, total_pages: pages, total_entries: total } = paging;
  return html`<nav class="pager" aria-label="pages">
    ${page > 1 ? html`<a href=${to(page - 1)}>Previous</a>` : html`<span>Previous</span>`}
    <span>Page ${page} of ${pages} (${total} in all)</span>
    ${page < pages ? html`<a href=${to(page + 1)}>Next</a>` : html`<span>Next</span>`}
  </nav>`;
}
