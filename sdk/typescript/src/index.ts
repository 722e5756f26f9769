export { Gateway, DEFAULT_BASE_URL } from './client.js';
export type { GatewayOptions, ListPage, PageQuery } from './client.js';
export {
  ApiError,
  AuthenticationError,
  EngineError,
  GatewayConnectionError,
  GatewayError,
  IdempotencyError,
  InvalidRequestError,
  NotFoundError,
  PermissionError,
  RateLimitError,
} from './errors.js';
export type { ErrorDetails } from './errors.js';
export { verifyWebhook, WebhookVerificationError } from './webhooks.js';
export type { EventOf, GatewayEvent, GatewayEventType, WebhookHeaders } from './webhooks.js';
// Every schema of the OpenAPI document, as a type: SessionOut, MessageOut, TextSend, …
export type * from './generated/types.gen.js';
