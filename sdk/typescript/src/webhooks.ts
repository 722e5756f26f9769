/**
 * Webhook verification. Deliveries are signed the Standard Webhooks way (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`); the event types and their payloads come from
 * the `webhooks` section of the OpenAPI document, one schema per type.
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks';

import type { Webhooks } from './generated/types.gen.js';

export { WebhookVerificationError };

/** Any event the gateway sends, discriminated by `type`. */
export type GatewayEvent = Webhooks['body'];

/** `session.status`, `message.received`, `message.status`, … */
export type GatewayEventType = GatewayEvent['type'];

/** The event of one type: `EventOf<'message.received'>`. */
export type EventOf<T extends GatewayEventType> = Extract<GatewayEvent, { type: T }>;

/** Headers as a `Request` has them, or as Node's `IncomingMessage` does. */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/**
 * Check a delivery's signature and return its event.
 *
 * `payload` must be the raw body exactly as received (not parsed and re-serialised);
 * `secret` is the endpoint's `whsec_…`. Throws `WebhookVerificationError` when the
 * signature does not match, a header is missing, or the timestamp is more than five
 * minutes away (a replayed delivery). Deduplicate on `event.id`: it is the `webhook-id`,
 * the same on every retry.
 */
export function verifyWebhook(
  payload: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string,
): GatewayEvent {
  const body = typeof payload === 'string' ? payload : new TextDecoder().decode(payload);
  return new Webhook(secret).verify(body, plainHeaders(headers)) as GatewayEvent;
}

function plainHeaders(headers: WebhookHeaders): Record<string, string> {
  const plain: Record<string, string> = {};
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      plain[name] = value;
    });
    return plain;
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) {
      // Signatures are space-separated, so a repeated header joins the same way.
      plain[name.toLowerCase()] = Array.isArray(value) ? value.join(' ') : value;
    }
  }
  return plain;
}
