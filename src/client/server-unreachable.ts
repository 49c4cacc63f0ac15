/** gRPC status codes that mean the server did not answer, rather than refused the call. */
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;

/**
 * True when `error` says the Temporal server could not be reached (down, restarting, no route),
 * as opposed to an answer: a call that may succeed once the server is back.
 */
export function isServerUnreachable(error: unknown): boolean {
  let cause = error as ErrorLike | undefined;
  for (let depth = 0; cause && depth < 5; depth++, cause = cause.cause as ErrorLike | undefined) {
    if (cause.code === UNAVAILABLE || cause.code === DEADLINE_EXCEEDED) return true;
    if (cause.name === 'ConnectionError') return true;
    if (/\b(UNAVAILABLE|ECONNREFUSED|ECONNRESET)\b|No connection established/.test(cause.message ?? '')) return true;
  }
  return false;
}

interface ErrorLike {
  code?: unknown;
  name?: string;
  message?: string;
  cause?: unknown;
}
