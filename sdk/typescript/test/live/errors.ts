/** Error answers as typed errors; retries of what is worth retrying, and only that. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  AuthenticationError,
  Gateway,
  GatewayConnectionError,
  GatewayError,
  InvalidRequestError,
  NotFoundError,
  RateLimitError,
} from '../../src/index.js';
import { freePort } from '../support/gateway.js';
import { client, live } from './context.js';

interface Attempt {
  status: number;
  startedAt: number;
  retryAfter: string | null;
}

/** A fetch that sends for real and notes each attempt. */
function recording(attempts: Attempt[]): typeof fetch {
  return async (input, init) => {
    const startedAt = Date.now();
    const response = await fetch(input, init);
    attempts.push({ status: response.status, startedAt, retryAfter: response.headers.get('retry-after') });
    return response;
  };
}

export function registerErrorTests(): void {
  test('a bad key is an AuthenticationError carrying the request id, not retried', async () => {
    const attempts: Attempt[] = [];
    const gw = client({ apiKey: `gw_test_${'x'.repeat(36)}`, fetch: recording(attempts) });
    const error = await gw.retrieveAccount().then(
      () => assert.fail('a bad key was accepted'),
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof AuthenticationError, String(error));
    assert.ok(error instanceof GatewayError);
    assert.equal(error.status, 401);
    assert.equal(error.type, 'authentication_error');
    assert.match(error.code, /api_key/);
    assert.match(error.requestId ?? '', /^req_/);
    assert.equal(error.requestId, error.headers.get('request-id'));
    assert.equal(attempts.length, 1);
  });

  test('an unknown session is a NotFoundError; a bad parameter names its param', async () => {
    const gw = live.gw;
    await assert.rejects(gw.retrieveSession({ path: { session_id: 'ses_01JZZZZZZZZZZZZZZZZZZZZZZZ' } }), (error) => {
      assert.ok(error instanceof NotFoundError, String(error));
      assert.ok(error instanceof InvalidRequestError);
      assert.equal(error.status, 404);
      assert.equal(error.code, 'resource_missing');
      assert.match(error.requestId ?? '', /^req_/);
      return true;
    });
    await assert.rejects(gw.createSession({ body: { name: 'not a valid name!' } }), (error) => {
      assert.ok(error instanceof InvalidRequestError, String(error));
      assert.equal(error.status, 422);
      assert.equal(error.param, 'name');
      return true;
    });
  });

  test('a 429 is retried after the Retry-After the gateway asked for', async () => {
    const tiny = await live.gw.createApiKey({ body: { name: 'tiny rate limit', rate_limit: '1/second' } });
    const attempts: Attempt[] = [];
    const gw = client({ apiKey: tiny.secret, fetch: recording(attempts), maxRetries: 3 });
    for (let call = 0; call < 3; call += 1) {
      const account = await gw.retrieveAccount();
      assert.equal(account.object, 'account');
    }
    const limited = attempts.flatMap((attempt, i) => (attempt.status === 429 ? [i] : []));
    assert.ok(limited.length > 0, `no 429 in ${attempts.map((a) => a.status).join(', ')}`);
    for (const i of limited) {
      const refused = attempts[i];
      const next = attempts[i + 1];
      assert.ok(refused && next, 'a 429 was not retried');
      assert.ok(refused.retryAfter !== null, 'a 429 without Retry-After');
      assert.ok(next.startedAt - refused.startedAt >= Number(refused.retryAfter) * 1000, 'retried too early');
    }

    // Without retries the 429 reaches the caller, with the wait it asked for.
    const impatient = client({ apiKey: tiny.secret, maxRetries: 0 });
    let refused: unknown;
    for (let call = 0; call < 5 && refused === undefined; call += 1) {
      await impatient.retrieveAccount().catch((error: unknown) => {
        refused = error;
      });
    }
    assert.ok(refused instanceof RateLimitError, String(refused));
    assert.equal(refused.status, 429);
    assert.equal(refused.code, 'rate_limit_exceeded');
    assert.ok(refused.retryAfter !== null && refused.retryAfter >= 0);
  });

  test('an unreachable gateway is a GatewayConnectionError after bounded retries', async () => {
    const attempts: number[] = [];
    const gw = new Gateway({
      apiKey: live.gateway.apiKey,
      baseUrl: `http://127.0.0.1:${await freePort()}`, // free: nothing listens there
      maxRetries: 2,
      fetch: (input, init) => {
        attempts.push(Date.now());
        return fetch(input, init);
      },
    });
    await assert.rejects(gw.retrieveAccount(), GatewayConnectionError);
    assert.equal(attempts.length, 3);
  });

  test('the key and address come from GATEWAY_API_KEY and GATEWAY_BASE_URL', async () => {
    const saved = { key: process.env.GATEWAY_API_KEY, url: process.env.GATEWAY_BASE_URL };
    try {
      process.env.GATEWAY_API_KEY = live.gateway.apiKey;
      process.env.GATEWAY_BASE_URL = `${live.gateway.baseUrl}/`;
      const gw = new Gateway();
      assert.equal(gw.baseUrl, live.gateway.baseUrl);
      assert.equal((await gw.retrieveAccount()).object, 'account');
      delete process.env.GATEWAY_API_KEY;
      assert.throws(() => new Gateway(), /GATEWAY_API_KEY/);
    } finally {
      restore('GATEWAY_API_KEY', saved.key);
      restore('GATEWAY_BASE_URL', saved.url);
    }
  });
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}
