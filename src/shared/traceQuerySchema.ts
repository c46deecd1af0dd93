import { z } from 'zod';
import { TRACE_RANGE_FIELDS, TRACE_SORT_FIELDS } from '../core/model/query';
import { FORMAT_IDS, SPAN_STATUSES } from '../core/model/types';

const finite = z.number().finite();

/** The library's trace filters (listTraces), also how judge runs select traces. */
export const TraceQuerySchema = z
  .object({
    text: z.string().max(1000).optional(),
    status: z.array(z.enum(SPAN_STATUSES)).max(3).optional(),
    formats: z.array(z.enum(FORMAT_IDS)).max(FORMAT_IDS.length).optional(),
    service: z.string().max(1000).optional(),
    version: z.string().max(1000).optional(),
    since: finite.optional(),
    until: finite.optional(),
    minDurationMs: finite.optional(),
    maxDurationMs: finite.optional(),
    minSpans: finite.optional(),
    maxSpans: finite.optional(),
    minTokens: finite.optional(),
    minToolCalls: finite.optional(),
    hasErrors: z.boolean().optional(),
    hasToolErrors: z.boolean().optional(),
    recordedEval: z.enum(['any', 'pass', 'fail']).optional(),
    sessionId: z.string().min(1).max(4096).optional(),
    hasSession: z.boolean().optional(),
    ranges: z
      .array(z.object({ field: z.enum(TRACE_RANGE_FIELDS), min: finite.optional(), below: finite.optional(), max: finite.optional() }).strict())
      .max(8)
      .optional(),
    judgeVerdict: z
      .object({ runId: z.number().int().min(1), judgeId: z.string().min(1).max(4096), status: z.enum(['pass', 'fail']).optional() })
      .strict()
      .optional(),
    sort: z.enum(TRACE_SORT_FIELDS).optional(),
    dir: z.enum(['asc', 'desc']).optional(),
    limit: z.number().int().min(1).max(5000).optional(),
    offset: z.number().int().min(0).optional(),
  })
  .strict();

/** The filters alone, for callers that choose their own order and paging. */
export const TraceFilterSchema = TraceQuerySchema.omit({ sort: true, dir: true, limit: true, offset: true });
