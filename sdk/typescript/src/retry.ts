/**
 * The fetch every call of a `Gateway` goes through: one logical call may be several
 * attempts, and a POST carries one `Idempotency-Key` across all of them, so the gateway
 * runs it once however many attempts reach it.
 */
import { retryAfterSeconds } from './errors.js';

export interface RetryPolicy {
  /** Retries after the first attempt (so `maxRetries + 1` attempts at most). */
  maxRetries: number;
  /** First backoff in milliseconds, doubled at each retry up to `maxDelay`. */
  initialDelay: number;
  maxDelay: number;
  /** A `Retry-After` longer than this (seconds) is not waited for: the error is thrown. */
  maxRetryAfter: number;
  /** Milliseconds one attempt may take before it is abandoned (and retried). */
  timeout: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  initialDelay: 500,
  maxDelay: 8_000,
  maxRetryAfter: 60,
  timeout: 60_000,
};

// Statuses that say "try again later" rather than "this request is wrong".
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** A fetch that adds idempotency keys to POSTs and retries what is worth retrying. */
export function retryingFetch(base: typeof fetch, policy: RetryPolicy): typeof fetch {
  return async (input, init) => {
    const template = new Request(input, init);
    if (template.method === 'POST' && !template.headers.has('idempotency-key')) {
      template.headers.set('Idempotency-Key', crypto.randomUUID());
    }
    for (let retry = 0; ; retry += 1) {
      // Each attempt sends a copy, so the template's body is still there for the next.
      const attempt = template.clone();
      const timeout = AbortSignal.timeout(policy.timeout);
      let response: Response;
      try {
        response = await base(attempt, { signal: AbortSignal.any([template.signal, timeout]) });
      } catch (error) {
        // A network failure or an attempt that timed out; the caller's own abort is final.
        if (template.signal.aborted || retry >= policy.maxRetries) {
          throw error;
        }
        await sleep(backoff(policy, retry), template.signal);
        continue;
      }
      if (retry >= policy.maxRetries || !(await isRetryable(response))) {
        return response;
      }
      const wait = delayBefore(response, policy, retry);
      if (wait === null) {
        return response;
      }
      await response.body?.cancel();
      await sleep(wait, template.signal);
    }
  };
}

async function isRetryable(response: Response): Promise<boolean> {
  if (RETRYABLE_STATUSES.has(response.status)) {
    return true;
  }
  // The same key while its first attempt still runs (say, one that timed out here but
  // not at the gateway): a moment later the retry gets that attempt's stored answer.
  if (response.status === 409) {
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => null);
    const code = (body as { error?: { code?: unknown } } | null)?.error?.code;
    return code === 'idempotency_key_in_use';
  }
  return false;
}

/** Milliseconds to wait before the next attempt, or null when it should not be made. */
function delayBefore(response: Response, policy: RetryPolicy, retry: number): number | null {
  const retryAfter = retryAfterSeconds(response.headers);
  if (retryAfter === null) {
    return backoff(policy, retry);
  }
  if (retryAfter > policy.maxRetryAfter) {
    return null;
  }
  // Never earlier than asked; a little later at random, so that clients told the same
  // moment do not all come back at once.
  return retryAfter * 1000 + Math.random() * 100;
}

/** Exponential backoff with jitter: a random time in the upper half of the step. */
function backoff(policy: RetryPolicy, retry: number): number {
  const step = Math.min(policy.maxDelay, policy.initialDelay * 2 ** retry);
  return step / 2 + (Math.random() * step) / 2;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
