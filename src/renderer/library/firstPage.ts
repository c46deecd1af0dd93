import type { TraceQuery } from '../../shared/api';
import { DEFAULT_SORT, EMPTY_FILTERS, toTraceQuery } from './filters';

/** Rows per listTraces request (the library's virtual scroller asks page by page). */
export const PAGE_SIZE = 200;

export const pageInput = (q: TraceQuery, page: number) => ({ ...q, limit: PAGE_SIZE, offset: page * PAGE_SIZE });

/**
 * What the library asks for first when it opens (no filter, default sort): small and free of
 * React, so the page's first script can send it before the app loads (client/earlyRequest.ts).
 */
export const firstPageInput = () => pageInput(toTraceQuery(EMPTY_FILTERS, DEFAULT_SORT), 0);
