/**
 * `Gateway`: every operation of the OpenAPI document as a method (generated), on a
 * client that authenticates, retries, adds idempotency keys and throws typed errors.
 */
import { createClient, createConfig } from './generated/client/index.js';
import { GatewayApi } from './generated/sdk.gen.js';
import { GatewayConnectionError, GatewayError, errorFromResponse } from './errors.js';
import { DEFAULT_RETRY_POLICY, retryingFetch } from './retry.js';

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8000';

export interface GatewayOptions {
  /** `gw_live_…` or `gw_test_…`; default: `GATEWAY_API_KEY` from the environment. */
  apiKey?: string;
  /** The gateway's address, without `/v1`; default: `GATEWAY_BASE_URL`, else `http://127.0.0.1:8000`. */
  baseUrl?: string;
  /** Retries of a call after its first attempt (network errors, 429, 502, 503, 504); default 2. */
  maxRetries?: number;
  /** Milliseconds one attempt may take; default 60 000. */
  timeout?: number;
  /** Headers sent with every call. */
  headers?: Record<string, string>;
  /** The fetch to send requests with; default: the platform's `fetch`. */
  fetch?: typeof fetch;
}

/** One page of any list endpoint. */
export interface ListPage<T> {
  data: T[];
  has_more: boolean;
}

/** The cursor parameters every list endpoint takes. */
export interface PageQuery {
  limit?: number;
  starting_after?: string | null;
  ending_before?: string | null;
}

// Any generated list method; its options and its item type are read off its signature
// (`any` is what lets a generic method match).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ListMethod = (...args: any[]) => Promise<unknown>;
type ItemOf<F extends ListMethod> =
  NonNullable<Awaited<ReturnType<F>>> extends ListPage<infer T> ? T : never;

/**
 * ```ts
 * const gw = new Gateway({ apiKey: 'gw_test_…' });
 * const session = await gw.createSession({ body: { name: 'support' } });
 * ```
 * Calls answer with the response body and throw a `GatewayError` subclass on an error
 * answer, or a `GatewayConnectionError` when the gateway could not be reached.
 */
export class Gateway extends GatewayApi {
  readonly baseUrl: string;

  constructor(options: GatewayOptions = {}) {
    const apiKey = options.apiKey ?? environment('GATEWAY_API_KEY');
    if (!apiKey) {
      throw new Error('No API key: pass { apiKey } or set GATEWAY_API_KEY.');
    }
    const baseUrl = (options.baseUrl ?? environment('GATEWAY_BASE_URL') ?? DEFAULT_BASE_URL).replace(
      /\/+$/,
      '',
    );
    const platformFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);
    const client = createClient(
      createConfig({
        baseUrl,
        throwOnError: true,
        headers: options.headers,
        fetch: retryingFetch(options.fetch ?? platformFetch, {
          ...DEFAULT_RETRY_POLICY,
          ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
          ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
        }),
        // Operations accept Bearer or X-Api-Key; one is enough.
        auth: (scheme) => (scheme.scheme === 'bearer' ? apiKey : undefined),
      }),
    );
    client.interceptors.error.use((error, response) => {
      if (error instanceof GatewayError || error instanceof GatewayConnectionError) {
        return error;
      }
      if (response === undefined) {
        const reason = error instanceof Error ? error.message : String(error);
        return new GatewayConnectionError(`Could not reach the gateway at ${baseUrl}: ${reason}`, {
          cause: error,
        });
      }
      return errorFromResponse(response, error);
    });
    super({ client });
    this.baseUrl = baseUrl;
  }

  /**
   * Every item of a list endpoint, fetching pages as the loop needs them:
   *
   * ```ts
   * for await (const event of gw.paginate(gw.listEvents, { query: { session_id } })) { … }
   * ```
   *
   * Newest first, from the start or from `query.starting_after`. With
   * `query.ending_before` it walks the other way: from the cursor towards the newest,
   * oldest first. `query.limit` is the page size (default 100).
   */
  async *paginate<F extends ListMethod>(
    list: F,
    ...[options]: Parameters<F>
  ): AsyncGenerator<ItemOf<F>, void, undefined> {
    const given = options as { query?: PageQuery } | undefined;
    const query: PageQuery = { limit: 100, ...given?.query };
    const backwards = Boolean(query.ending_before);
    for (;;) {
      const page = (await list.call(this, { ...given, query })) as ListPage<ItemOf<F>> | undefined;
      if (page === undefined) {
        return;
      }
      // The gateway gives every page newest first; walking backwards, yield each page
      // oldest first so the items keep moving away from the cursor.
      const items = backwards ? [...page.data].reverse() : page.data;
      yield* items;
      const last = items.at(-1) as { id?: unknown } | undefined;
      if (!page.has_more || typeof last?.id !== 'string') {
        return;
      }
      if (backwards) {
        query.ending_before = last.id;
      } else {
        query.starting_after = last.id;
      }
    }
  }
}

function environment(name: string): string | undefined {
  // `process` is Node's; elsewhere (a browser, a worker) options are the only source.
  const value = typeof process === 'undefined' ? undefined : process.env[name];
  return value === '' ? undefined : value;
}
