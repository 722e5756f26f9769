#!/usr/bin/env node
/**
 * A webhook receiver that verifies the gateway's signatures (Standard Webhooks), in Node.
 *
 *     GATEWAY_WEBHOOK_SECRET=whsec_… node webhook_receiver.mjs [--port 9000] [--exit-after N]
 *
 * Point a webhook endpoint at it (`POST /v1/webhooks` with `"url":
 * "http://127.0.0.1:9000/hooks"`; the secret is in the answer). Every delivery is
 * verified with the `standardwebhooks` library: a bad or missing signature is answered
 * 401 and printed nothing; a good one prints one JSON line per event and is answered 204.
 * Deliveries are retried, so the receiver deduplicates on `webhook-id` (the event id, the
 * same on every retry). With `--exit-after N` it stops after N events (for scripts).
 * Needs only `standardwebhooks` (`npm ci` in this directory).
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

import { Webhook, WebhookVerificationError } from 'standardwebhooks';

// Events are small JSON documents (media travels by id, not inline); reading more than
// this from an unauthenticated caller before the signature is checked only costs memory.
const MAX_BODY_BYTES = 1024 * 1024;

function createReceiver(secret, { exitAfter } = {}) {
  const verifier = new Webhook(secret);
  // In memory for the life of the process; a receiver that does real work records the
  // ids where it records the work, in the same transaction, so a retry after a crash is
  // recognised too.
  const seen = new Set();
  // Once stopping, every answer closes its connection: the process ends when the requests
  // in flight have their answers, and none is cut off before its 2xx.
  let stopping = false;
  const answer = (response, status, close = stopping) => {
    response.writeHead(status, close ? { connection: 'close' } : {}).end();
  };

  const server = createServer(async (request, response) => {
    const path = new URL(request.url, 'http://receiver').pathname;
    if (request.method !== 'POST' || path !== '/hooks') {
      answer(response, 404);
      return;
    }
    const body = await readBody(request);
    if (body === undefined) {
      // Closing the connection is what stops the sender; the rest of the body is not read.
      answer(response, 413, true);
      return;
    }
    let event;
    try {
      // The raw bytes, as received: a parsed and re-serialised body would not match.
      event = verifier.verify(body, request.headers);
    } catch (error) {
      // A signed body that is not JSON fails in JSON.parse: the sender is broken, not forged.
      answer(response, error instanceof WebhookVerificationError ? 401 : 400);
      return;
    }
    const eventId = request.headers['webhook-id'];
    if (!seen.has(eventId)) {
      seen.add(eventId);
      const session = event?.session?.id ?? null;
      console.log(JSON.stringify({ id: eventId, type: event?.type, session }));
    }
    if (exitAfter !== undefined && seen.size >= exitAfter && !stopping) {
      stopping = true;
      server.close();
    }
    answer(response, 204);
  });
  return server;
}

/** The request's body as a Buffer, or undefined once it passes MAX_BODY_BYTES. */
function readBody(request) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    const collect = (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        request.off('data', collect);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    request.on('data', collect);
    request.on('end', () => resolve(Buffer.concat(chunks)));
    // An aborted request has nobody left to answer; resolving lets the handler finish.
    request.on('error', () => resolve(undefined));
  });
}

function main() {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '9000' },
      'exit-after': { type: 'string' },
    },
  });
  const secret = process.env.GATEWAY_WEBHOOK_SECRET;
  if (!secret) {
    console.error("Set GATEWAY_WEBHOOK_SECRET to the endpoint's secret (whsec_…).");
    process.exit(2);
  }
  const port = positiveInteger(values.port, '--port');
  const given = values['exit-after'];
  const exitAfter = given === undefined ? undefined : positiveInteger(given, '--exit-after');
  createReceiver(secret, { exitAfter }).listen(port, values.host);
}

function positiveInteger(text, option) {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${option} takes a positive integer, not ${JSON.stringify(text)}.`);
    process.exit(2);
  }
  return value;
}

main();
