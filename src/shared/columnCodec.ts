/** The column codec lives in the engine's model (the trace view is built there); the UI uses it from here. */
export * from '../core/model/columnCodec';
