#!/usr/bin/env node
/**
 * The TypeScript SDK from a plain Node script: one text message, from sending to read.
 *
 *     node send_message.mjs [BASE_URL] [API_KEY]
 *
 * Creates a sandbox session that links itself (`config.sandbox.auto_link`), waits for
 * WORKING, sends a text message to a sandbox contact, waits until the contact has read
 * it, then walks the session's events with the SDK's pagination helper and prints them
 * oldest first. Exits non-zero if any step fails. It leaves the session in place;
 * `DELETE /v1/sessions/{id}` removes it.
 *
 * BASE_URL and API_KEY default to the environment variables GATEWAY_URL (else
 * http://127.0.0.1:8000) and GATEWAY_API_KEY. Needs the built SDK (see README.md).
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';

import { Gateway, GatewayError } from '@gateway/sdk';

// A sandbox contact who reads what it is sent (+12025550102 never does).
const RECIPIENT = '+12025550123';
// A message in one of these will never be read.
const FAILED = new Set(['failed', 'cancelled']);

/** Call `check` every 200 ms until it answers something truthy; give up after `seconds`. */
async function waitFor(what, check, seconds = 30) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what} after ${seconds} s.`);
    await sleep(200);
  }
}

async function main() {
  const [argUrl, argKey] = process.argv.slice(2);
  const baseUrl = argUrl || process.env.GATEWAY_URL || 'http://127.0.0.1:8000';
  const apiKey = argKey || process.env.GATEWAY_API_KEY;
  if (!apiKey) {
    console.error('usage: send_message.mjs [BASE_URL] API_KEY  (or set GATEWAY_API_KEY)');
    process.exit(2);
  }
  // Every POST below carries an Idempotency-Key the SDK makes, kept across its retries.
  const gw = new Gateway({ apiKey, baseUrl });

  // 1. A session whose simulated phone links it as soon as its QR code shows.
  const name = `node-send-${randomUUID().slice(0, 8)}`;
  const config = { sandbox: { auto_link: true } };
  const created = await gw.createSession({ body: { name, config } });
  console.log(`created ${created.id} (${created.name}), status ${created.status}`);
  const session = await waitFor('WORKING', async () => {
    const current = await gw.retrieveSession({ path: { session_id: created.id } });
    if (current.status === 'FAILED') {
      throw new Error(`The session FAILED (${current.status_reason}).`);
    }
    return current.status === 'WORKING' && current;
  });
  console.log(`WORKING as ${session.me?.id}`);

  // 2. Sending only queues the message; the gateway paces it out like a person typing.
  const queued = await gw.sendMessage({
    path: { session_id: session.id },
    body: { type: 'text', chat_id: RECIPIENT, text: 'Your order has shipped.' },
  });
  console.log(`sent ${queued.id} to ${RECIPIENT}, status ${queued.status}`);
  const read = await waitFor('the message to be read', async () => {
    const message = await gw.retrieveMessage({ path: { message_id: queued.id } });
    if (FAILED.has(message.status)) {
      const { code, message: reason } = message.error ?? {};
      throw new Error(`The message is ${message.status}: ${code} ${reason}`);
    }
    return message.status === 'read' && message;
  });
  console.log(`${read.id} is ${read.status}`);

  // 3. Everything that happened, newest first from the API; a small page size so the
  //    walk takes several pages, fetched as the loop needs them.
  const events = [];
  const pages = { query: { session_id: session.id, limit: 3 } };
  for await (const event of gw.paginate(gw.listEvents, pages)) {
    events.push(event);
  }
  console.log(`\n${events.length} events, oldest first:`);
  for (const event of events.reverse()) {
    let detail = '';
    if (event.type === 'message.status') {
      detail = `  ${event.data.previous_status} -> ${event.data.message.status}`;
    }
    console.log(`${event.created_at}  ${event.id}  ${event.type}${detail}`);
  }
  const statuses = events
    .filter((event) => event.type === 'message.status' && event.data.message.id === read.id)
    .map((event) => event.data.message.status);
  if (!statuses.includes('read')) {
    const seen = statuses.join(', ') || 'none';
    throw new Error(`No message.status event says ${read.id} was read (seen: ${seen}).`);
  }
  console.log(`\nmessage.status events of ${read.id}: ${statuses.join(', ')}`);
}

main().catch((error) => {
  // The request id is what to quote when asking why a call failed.
  if (error instanceof GatewayError) {
    console.error(`${error.status} ${error.code}: ${error.message} (request ${error.requestId})`);
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
