import type { SpanKind, SpanStatus } from './types';

/**
 * Error analysis (issue 14) as the UI contract carries it: open-coding notes on spans and traces,
 * the first-failure mark, axial-coding proposals, the saturation curve and the first-failure
 * matrix. Types only: computations live in src/core/labels, storage in
 * src/core/store/spanNotesStore.ts.
 */

/** A note written while reviewing a trace: on one span, or on the whole trace (spanId null). */
export interface SpanNoteDto {
  id: number;
  traceId: string;
  /** null: a note on the whole trace. */
  spanId: string | null;
  /** The span's name and kind when the span is (still) in the workspace. */
  spanName: string | null;
  spanKind: SpanKind | null;
  text: string;
  /** This note marks the span where the first failure happened (at most one per trace). */
  firstFailure: boolean;
  /** The failure mode the note is coded to (axial coding), or null. */
  mode: string | null;
  createdAt: number;
  updatedAt: number;
}

/** One span of the trace as the labelling view's conversation lists it (tree order). */
export interface LabelStep {
  spanId: string;
  depth: number;
  kind: SpanKind;
  name: string;
  toolName: string | null;
  status: SpanStatus;
  startMs: number;
  durationMs: number | null;
  /** What happened, as short text: an LLM's reply, a tool's arguments → result, an error. */
  text: string;
  error: string | null;
}

export interface LabelSteps {
  steps: LabelStep[];
  /** Spans in the trace (`steps` holds the first ones in tree order). */
  total: number;
}

// ---- axial coding ----------------------------------------------------------------------------

/** A failure mode the model (or the user) proposes from the notes. */
export interface ProposedGroup {
  name: string;
  definition: string;
  noteIds: number[];
}

export interface AxialProposal {
  /** Why no model can be asked ("model not configured: …"), or null when it was asked. */
  problem: string | null;
  model: string | null;
  groups: ProposedGroup[];
  /** Notes the model left out of every group. */
  ungrouped: number[];
  /** Notes the prompt showed (open-coding notes with text). */
  notes: number;
}

// ---- saturation ----------------------------------------------------------------------------

export interface SaturationPoint {
  /** Traces reviewed so far (1-based position in review order). */
  reviewed: number;
  /** Distinct failure modes seen in those traces. */
  modes: number;
  /** Modes first seen on this trace. */
  newModes: string[];
  traceId: string;
}

export interface ModeCount {
  name: string;
  definition: string;
  /** Reviewed traces tagged with the mode. */
  count: number;
  /** count / reviewed. */
  rate: number;
  /** Wilson score interval of the rate (95%). */
  ci: [number, number];
}

export interface SaturationView {
  /** Traces labelled pass or fail, in the order they were first labelled. */
  reviewed: number;
  /** The rule of thumb: review at least this many traces. */
  target: number;
  curve: SaturationPoint[];
  modes: ModeCount[];
  /** Reviewed traces since the last new mode appeared (a long run suggests saturation). */
  sinceLastNew: number;
}

// ---- where agents fail first -----------------------------------------------------------------

export interface FirstFailureCell {
  /** The last step that succeeded before the first failure: a tool name, a span kind, or '(start)'. */
  from: string;
  /** The step marked as the first failure: a tool name or a span kind. */
  to: string;
  count: number;
  traceIds: string[];
}

export interface FirstFailureMatrix {
  rows: string[];
  cols: string[];
  cells: FirstFailureCell[];
  /** Traces with a marked first failure. */
  traces: number;
  /** Marked spans no longer in their trace (re-imported without them). */
  missing: number;
}
