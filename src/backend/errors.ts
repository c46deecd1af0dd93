/** For entry points (see host.ts): the one-line message of any thrown value. */
export { errorMessage } from '../core/util/errors';
/** Bad input to an import (the OTLP receiver answers it with 400, not 500). */
export { ImportError } from '../core/util/errors';
