/** Performance marks of the trace view (the benchmark measures between them). */
export const OPEN_MARK = 'tracedeck:trace-open';
export const RENDERED_MARK = 'tracedeck:trace-rendered';
