/**
 * Contract of human labels, failure modes, the labelling queue and the judge alignment report
 * (merged into ApiInputSchemas / ApiOutputs in api.ts). Result types: src/core/model/labels.ts.
 */
import { z } from 'zod';
import { CLUSTER_FIELDS, LABEL_SPLITS, LABEL_VERDICTS, QUEUE_ORDERS, STRATIFY_FIELDS } from '../core/model/labels';
import type {
  AlignmentJudge,
  AlignmentReportView,
  FailureModeDto,
  LabelDto,
  LabelItem,
  QueueStep,
} from '../core/model/labels';

export type * from '../core/model/labels';
export { CLUSTER_FIELDS, QUEUE_ORDERS, SAMPLED_ORDERS, STRATIFY_FIELDS } from '../core/model/labels';

const id = z.string().min(1).max(4096);
const modeName = z.string().trim().min(1).max(200);

const QueueSpecSchema = z
  .object({
    order: z.enum(QUEUE_ORDERS),
    field: z.enum(STRATIFY_FIELDS).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    includeLabelled: z.boolean().optional(),
    clusterField: z.enum(CLUSTER_FIELDS).optional(),
    sampleSize: z.number().int().min(1).max(100_000).optional(),
    source: z.string().min(1).max(4096).optional(),
  })
  .strict();

export const LabelInputSchemas = {
  /** The next trace to label after `after` in the queue's order (from the start without it). */
  nextToLabel: QueueSpecSchema.extend({ after: id.optional() }).strict(),
  /** One trace's labelling view (summary + its label); `queue` places it in that order. */
  labelItem: z.object({ traceId: id, queue: QueueSpecSchema.optional() }).strict(),
  /**
   * One trace's label, null without one: what the trace view shows. labelItem's digest reads the
   * trace's spans (~0.25 s of the server at 100k spans, ~0.7 s at 1M) while the view paints.
   */
  getLabel: z.object({ traceId: id }).strict(),
  /** Record (or overwrite) a trace's label; assigns it a stable train/dev/test split. */
  setLabel: z
    .object({
      traceId: id,
      verdict: z.enum(LABEL_VERDICTS),
      critique: z.string().max(100_000).optional(),
      labeler: z.string().max(200).optional(),
    })
    .strict(),
  deleteLabel: z.object({ traceId: id }).strict(),
  listLabels: z.object({ split: z.enum(LABEL_SPLITS).optional() }).strict(),
  listFailureModes: z.object({}).strict(),
  /** Create a mode, or update its definition (an empty definition keeps the old one). */
  saveFailureMode: z.object({ name: modeName, definition: z.string().max(2000).optional() }).strict(),
  renameFailureMode: z.object({ from: modeName, to: modeName }).strict(),
  /** Move every tag of `from` onto `into` and delete `from`. */
  mergeFailureModes: z.object({ from: modeName, into: modeName }).strict(),
  deleteFailureMode: z.object({ name: modeName }).strict(),
  /** Tag a trace with a mode (created when new). */
  tagTrace: z.object({ traceId: id, mode: modeName }).strict(),
  untagTrace: z.object({ traceId: id, mode: modeName }).strict(),
  /** Judges that have verdicts to align with the labels. */
  alignmentJudges: z.object({}).strict(),
  alignmentReport: z.object({ judgeId: id, split: z.enum([...LABEL_SPLITS, 'all']).optional() }).strict(),
  exportLabels: z.object({ format: z.enum(['json', 'csv']) }).strict(),
  /** Import an export (JSON or CSV, detected) in one transaction; `name` is used in errors. */
  importLabels: z.object({ name: z.string().min(1).max(1000), text: z.string().max(50_000_000) }).strict(),
} as const;

export interface LabelOutputs {
  nextToLabel: QueueStep;
  labelItem: LabelItem | null;
  getLabel: LabelDto | null;
  setLabel: LabelDto;
  deleteLabel: { deleted: boolean };
  listLabels: LabelDto[];
  listFailureModes: FailureModeDto[];
  saveFailureMode: FailureModeDto[];
  renameFailureMode: FailureModeDto[];
  mergeFailureModes: FailureModeDto[];
  deleteFailureMode: FailureModeDto[];
  /** The trace's failure modes afterwards (a trace can be tagged before it has a verdict). */
  tagTrace: { failureModes: string[] };
  untagTrace: { failureModes: string[] };
  alignmentJudges: AlignmentJudge[];
  alignmentReport: AlignmentReportView;
  exportLabels: { fileName: string; mimeType: string; text: string };
  importLabels: { labels: number };
}
