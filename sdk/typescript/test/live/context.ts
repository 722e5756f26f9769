/** What the live tests share: the gateway, a client on its first key, a linked session. */
import { Gateway, type GatewayOptions, type MessageOut, type SessionOut } from '../../src/index.js';
import type { LiveGateway } from '../support/gateway.js';
import { eventually } from '../support/receiver.js';

export interface Live {
  gateway: LiveGateway;
  gw: Gateway;
  /** A sandbox session linked by the first test, WORKING from then on. */
  sessionId: string;
}

export const live = {} as Live;

/** Anyone who is not a magic number: delivered, then read. */
export const CUSTOMER = '+12025550123';

// Acks within milliseconds, so waiting for `read` is quick.
export const FAST_ACKS = { ack_delivered_ms: 50, ack_read_ms: 50 };

export function client(options: GatewayOptions = {}): Gateway {
  return new Gateway({ apiKey: live.gateway.apiKey, baseUrl: live.gateway.baseUrl, ...options });
}

export function sessionInStatus(gw: Gateway, sessionId: string, status: string): Promise<SessionOut> {
  return eventually(
    async () => {
      const session = await gw.retrieveSession({ path: { session_id: sessionId } });
      return session.status === status ? session : undefined;
    },
    { what: `session ${sessionId} ${status}` },
  );
}

export function messageInStatus(gw: Gateway, messageId: string, statuses: string[]): Promise<MessageOut> {
  return eventually(
    async () => {
      const message = await gw.retrieveMessage({ path: { message_id: messageId } });
      return statuses.includes(message.status) ? message : undefined;
    },
    { what: `message ${messageId} ${statuses.join(' or ')}` },
  );
}
