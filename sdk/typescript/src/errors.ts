/**
 * Typed errors. Every error answer of the gateway has one envelope,
 * `{"error": {"type", "code", "message", "param", "request_id"}}`; the SDK throws it as a
 * `GatewayError` of the subclass its `type` names. Branch on `code`: `message` is for
 * people and may change.
 */

/** The `error` object of the envelope, as the gateway sends it. */
export interface ErrorDetails {
  type: string;
  code: string;
  message: string;
  param?: string | null;
  request_id?: string | null;
  doc_url?: string | null;
}

export class GatewayError extends Error {
  /** The HTTP status of the answer. */
  readonly status: number;
  /** `invalid_request_error`, `authentication_error`, `rate_limit_error`, … */
  readonly type: string;
  /** What went wrong, for programs: `resource_missing`, `parameter_invalid`, … */
  readonly code: string;
  /** The offending parameter as a dotted path (`scopes.messages`), when there is one. */
  readonly param: string | null;
  /** The answer's `Request-Id`: quote it when asking about a failed call. */
  readonly requestId: string | null;
  readonly docUrl: string | null;
  readonly headers: Headers;

  constructor(status: number, body: ErrorDetails, headers: Headers = new Headers()) {
    super(body.message);
    this.name = new.target.name;
    this.status = status;
    this.type = body.type;
    this.code = body.code;
    this.param = body.param ?? null;
    this.requestId = body.request_id ?? headers.get('request-id');
    this.docUrl = body.doc_url ?? null;
    this.headers = headers;
  }
}

/** A request the gateway refused as it stands (400, 404, 409, 413, 422, 402, 501). */
export class InvalidRequestError extends GatewayError {}

/** The object named in the path does not exist, or the key cannot see it (404). */
export class NotFoundError extends InvalidRequestError {}

/** A missing, malformed, unknown or revoked key (401). */
export class AuthenticationError extends GatewayError {}

/** The key lacks the scope or the mode the call needs (403). */
export class PermissionError extends GatewayError {}

/** Too many requests for the key's rate limit (429), after the SDK's own retries. */
export class RateLimitError extends GatewayError {
  /** Seconds the gateway asked to wait (`Retry-After`), when it said. */
  readonly retryAfter: number | null;

  constructor(status: number, body: ErrorDetails, headers: Headers = new Headers()) {
    super(status, body, headers);
    this.retryAfter = retryAfterSeconds(headers);
  }
}

/** An `Idempotency-Key` reused for another request (422) or still in flight (409). */
export class IdempotencyError extends GatewayError {}

/** The WhatsApp side failed, timed out or is not connected (502, 503, 504). */
export class EngineError extends GatewayError {}

/** The gateway failed (500); details are in its logs under `requestId`. */
export class ApiError extends GatewayError {}

/** The gateway could not be reached, or did not answer in time, after the retries. */
export class GatewayConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GatewayConnectionError';
  }
}

type ErrorClass = new (status: number, body: ErrorDetails, headers?: Headers) => GatewayError;

const CLASSES_BY_TYPE: Record<string, ErrorClass> = {
  invalid_request_error: InvalidRequestError,
  authentication_error: AuthenticationError,
  permission_error: PermissionError,
  rate_limit_error: RateLimitError,
  idempotency_error: IdempotencyError,
  engine_error: EngineError,
  api_error: ApiError,
};

// What an answer that is not the envelope (a proxy's HTML page, say) is taken for.
const TYPES_BY_STATUS: Record<number, string> = {
  401: 'authentication_error',
  403: 'permission_error',
  429: 'rate_limit_error',
  500: 'api_error',
  502: 'engine_error',
  503: 'engine_error',
  504: 'engine_error',
};

/** The typed error for an error answer, from its status, headers and parsed body. */
export function errorFromResponse(response: Response, body: unknown): GatewayError {
  const envelope = errorBodyOf(body) ?? {
    type: TYPES_BY_STATUS[response.status] ?? (response.status >= 500 ? 'api_error' : 'invalid_request_error'),
    code: `http_${response.status}`,
    message: excerpt(body) || `HTTP ${response.status} ${response.statusText}`.trim(),
  };
  if (response.status === 404 && envelope.type === 'invalid_request_error') {
    return new NotFoundError(response.status, envelope, response.headers);
  }
  const ErrorType = CLASSES_BY_TYPE[envelope.type] ?? GatewayError;
  return new ErrorType(response.status, envelope, response.headers);
}

function errorBodyOf(body: unknown): ErrorDetails | null {
  if (typeof body !== 'object' || body === null || !('error' in body)) {
    return null;
  }
  const error = (body as { error: unknown }).error;
  if (typeof error !== 'object' || error === null) {
    return null;
  }
  const { type, code, message } = error as Record<string, unknown>;
  if (typeof type !== 'string' || typeof code !== 'string' || typeof message !== 'string') {
    return null;
  }
  return error as ErrorDetails;
}

function excerpt(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? '');
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** `Retry-After` in seconds (either form the header may take), or null. */
export function retryAfterSeconds(headers: Headers): number | null {
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') {
    return null;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds)) {
    return Math.max(0, seconds);
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, (date - Date.now()) / 1000);
}
