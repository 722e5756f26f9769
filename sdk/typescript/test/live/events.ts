/** Paging through events, and a webhook delivery received and verified. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { type EventOf, type EventOut, type GatewayEvent, WebhookVerificationError, verifyWebhook } from '../../src/index.js';
import { eventually, startReceiver } from '../support/receiver.js';
import { live } from './context.js';

export function registerEventTests(): void {
  test('paginate walks every page of events, newest first, and back from a cursor', async () => {
    const gw = live.gw;
    const query = { session_id: live.sessionId, limit: 5 };
    const first = await gw.listEvents({ query });
    assert.equal(first.data.length, query.limit);
    assert.equal(first.has_more, true);
    // Events still arrive (the last messages are being read): paging from a cursor
    // sees only older ones, which no longer change.
    const cursor = first.data.at(-1)?.id;
    const older: EventOut[] = [];
    for await (const event of gw.paginate(gw.listEvents, { query: { ...query, starting_after: cursor } })) {
      older.push(event);
    }
    const ids = [...first.data, ...older].map((event) => event.id);
    assert.ok(ids.length > 3 * query.limit, `only ${ids.length} events`);
    assert.equal(new Set(ids).size, ids.length, 'no event twice');
    const types = new Set(older.map((event) => event.type));
    for (const type of ['session.status', 'session.qr', 'message.status']) {
      assert.ok(types.has(type as EventOut['type']), `no ${type} among ${[...types].join(', ')}`);
    }

    // From the start: the same events at the end (newer ones may lead).
    const all: string[] = [];
    for await (const event of gw.paginate(gw.listEvents, { query })) {
      all.push(event.id);
    }
    assert.deepEqual(all.slice(all.length - ids.length), ids);

    // From the oldest back towards the newest: the same events, oldest first.
    const backwards: string[] = [];
    for await (const event of gw.paginate(gw.listEvents, { query: { ...query, ending_before: ids.at(-1) } })) {
      backwards.push(event.id);
    }
    assert.deepEqual(backwards.slice(0, ids.length - 1), ids.slice(0, -1).reverse());

    let taken = 0;
    for await (const _event of gw.paginate(gw.listEvents, { query })) {
      if (++taken === 2) break; // leaving the loop early stops the paging
    }
    assert.equal(taken, 2);
  });

  test('a webhook delivery is received and verified into a typed event', async () => {
    const gw = live.gw;
    const receiver = await startReceiver();
    try {
      const endpoint = await gw.createWebhook({
        body: { url: receiver.url, event_types: ['message.received'], session_ids: [live.sessionId] },
      });
      assert.match(endpoint.secret, /^whsec_/);
      await gw.sandboxInjectInbound({
        path: { session_id: live.sessionId },
        body: { from: '+12025550199', from_name: 'Ada', text: 'Hi, is my order on its way?' },
      });
      const delivery = await eventually(() => receiver.deliveries[0], { what: 'a webhook delivery' });

      const event: GatewayEvent = verifyWebhook(delivery.body, delivery.headers, endpoint.secret);
      assert.equal(event.id, delivery.headers['webhook-id']);
      assert.equal(event.type, 'message.received');
      if (event.type === 'message.received') {
        // Narrowed by `type`: the payload's own fields are typed.
        const received: EventOf<'message.received'> = event;
        assert.equal(received.data.message.text, 'Hi, is my order on its way?');
        assert.equal(received.data.message.from_name, 'Ada');
        assert.equal(received.session?.id, live.sessionId);
      }
      // Verification from the raw text and from a Headers object works the same way.
      const headers = new Headers(delivery.headers as Record<string, string>);
      assert.equal(verifyWebhook(delivery.body.toString(), headers, endpoint.secret).id, event.id);

      const tampered = Buffer.from(delivery.body.toString().replace('on its way', 'cancelled'));
      assert.throws(() => verifyWebhook(tampered, delivery.headers, endpoint.secret), WebhookVerificationError);
      const otherSecret = `whsec_${Buffer.from('another secret, 32 bytes long!!!').toString('base64')}`;
      assert.throws(() => verifyWebhook(delivery.body, delivery.headers, otherSecret), WebhookVerificationError);

      const test = await gw.testWebhook({ path: { endpoint_id: endpoint.id } });
      assert.equal(test.event_type, 'webhook.test');
      const pinged = await eventually(() => receiver.deliveries[1], { what: 'the test delivery' });
      const ping = verifyWebhook(pinged.body, pinged.headers, endpoint.secret);
      assert.equal(ping.type, 'webhook.test');

      const deleted = await gw.deleteWebhook({ path: { endpoint_id: endpoint.id } });
      assert.equal(deleted.deleted, true);
    } finally {
      await receiver.close();
    }
  });
}
