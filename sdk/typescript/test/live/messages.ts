/** A sandbox session linked through the SDK, and every message type sent on it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { MessageOut, SendMessageData } from '../../src/index.js';
import { CUSTOMER, FAST_ACKS, client, live, messageInStatus, sessionInStatus } from './context.js';

// The first bytes of real files of each type (all the gateway's type check reads), padded.
const PAD = Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 256));
const file = (head: number[] | string): Buffer =>
  Buffer.concat([typeof head === 'string' ? Buffer.from(head, 'latin1') : Buffer.from(head), PAD]);
const PNG = file([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const MP4 = file('\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41');
const OGG = file(`OggS\x00\x02${'\x00'.repeat(20)}OpusHead`);
const WEBP = file('RIFF\x24\x00\x00\x00WEBPVP8 ');
const PDF = file('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');

const inline = (content: Buffer, mimeType: string) => ({
  base64: content.toString('base64'),
  mime_type: mimeType,
});

type Body = SendMessageData['body'];

export function registerMessageTests(): void {
  test('a sandbox session is created, linked by the sandbox phone, and WORKING', async () => {
    const gw = live.gw;
    const created = await gw.createSession({
      body: { name: 'sdk-support', metadata: { team: 'support' }, config: { sandbox: FAST_ACKS } },
    });
    assert.equal(created.object, 'session');
    assert.equal(created.engine, 'sandbox');
    await sessionInStatus(gw, created.id, 'SCAN_QR_CODE');

    const device = await gw.sandboxLinkSession({
      path: { session_id: created.id },
      body: { push_name: 'Acme Support' },
    });
    assert.equal(device.linked, true);
    const working = await sessionInStatus(gw, created.id, 'WORKING');
    assert.equal(working.me?.push_name, 'Acme Support');
    live.sessionId = created.id;
  });

  test('every message type is accepted and delivered', async () => {
    const gw = live.gw;
    const session_id = live.sessionId;
    const uploaded = await gw.uploadMedia({
      body: { file: new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), filename: 'invoice.pdf' },
    });
    assert.match(uploaded.id, /^med_/);

    const send = (body: Body): Promise<MessageOut> => gw.sendMessage({ path: { session_id }, body });
    const text = await send({ type: 'text', chat_id: CUSTOMER, text: 'Your order shipped' });
    const bodies: Body[] = [
      { type: 'image', chat_id: CUSTOMER, media: inline(PNG, 'image/png'), caption: 'look' },
      { type: 'video', chat_id: CUSTOMER, media: inline(MP4, 'video/mp4') },
      { type: 'audio', chat_id: CUSTOMER, media: inline(OGG, 'audio/ogg'), voice: true },
      { type: 'document', chat_id: CUSTOMER, media: { media_id: uploaded.id }, filename: 'invoice.pdf' },
      { type: 'sticker', chat_id: CUSTOMER, media: inline(WEBP, 'image/webp') },
      { type: 'location', chat_id: CUSTOMER, latitude: 51.5033, longitude: -0.1196, name: 'London Eye' },
      {
        type: 'contact',
        chat_id: CUSTOMER,
        vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Ada Lovelace\nTEL:+12025550188\nEND:VCARD',
        name: 'Ada Lovelace',
      },
      { type: 'reaction', chat_id: CUSTOMER, message_id: text.id, emoji: '👍' },
      { type: 'poll', chat_id: CUSTOMER, question: 'Delivery slot?', options: ['Morning', 'Evening'] },
      { type: 'text', chat_id: CUSTOMER, text: 'Thanks!', reply_to: text.id },
    ];
    const accepted = [text, ...(await Promise.all(bodies.map(send)))];
    for (const message of accepted) {
      assert.equal(message.object, 'message');
      assert.equal(message.direction, 'outbound');
      assert.equal(message.status, 'queued');
    }
    assert.deepEqual(
      new Set(accepted.map((message) => message.type)),
      new Set(['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'contact', 'reaction', 'poll']),
    );
    for (const message of accepted) {
      const done = await messageInStatus(gw, message.id, ['read', 'played', 'failed']);
      assert.equal(done.error, null, `${message.type}: ${JSON.stringify(done.error)}`);
      assert.equal(done.status, message.type === 'audio' ? 'played' : 'read', message.type);
    }
    assert.equal(accepted.at(-1)?.reply_to, text.id);
  });

  test('the same Idempotency-Key given twice creates one message', async () => {
    const gw = live.gw;
    const call = {
      path: { session_id: live.sessionId },
      body: { type: 'text', chat_id: CUSTOMER, text: 'once' } satisfies Body,
      headers: { 'Idempotency-Key': `order-${Date.now()}-shipped` },
    };
    const first = await gw.sendMessage(call);
    const again = await gw.sendMessage(call);
    assert.equal(again.id, first.id);
  });

  test('a POST whose answer was lost is retried under the same key and not duplicated', async () => {
    const attempts: { key: string | null; status?: number; replayed?: string | null }[] = [];
    let firstAnswer: MessageOut | undefined;
    // The connection drops after the gateway has stored the message: the first answer
    // never reaches the caller, as when a load balancer cuts a slow response.
    const gw = client({
      fetch: async (input, init) => {
        const request = new Request(input, init);
        const key = request.headers.get('idempotency-key');
        const response = await fetch(request);
        if (request.method === 'POST' && attempts.length === 0) {
          attempts.push({ key, status: response.status });
          firstAnswer = (await response.json()) as MessageOut;
          throw new TypeError('fetch failed: socket hang up');
        }
        attempts.push({ key, status: response.status, replayed: response.headers.get('idempotent-replayed') });
        return response;
      },
    });
    const text = `sent once ${Date.now()}`;
    const message = await gw.sendMessage({
      path: { session_id: live.sessionId },
      body: { type: 'text', chat_id: CUSTOMER, text },
    });

    assert.equal(attempts.length, 2);
    assert.ok(attempts[0]?.key, 'the SDK adds an Idempotency-Key to a POST');
    assert.equal(attempts[1]?.key, attempts[0]?.key, 'a retry reuses its call’s key');
    assert.equal(attempts[1]?.replayed, 'true');
    assert.equal(message.id, firstAnswer?.id);

    const same: string[] = [];
    for await (const sent of gw.paginate(gw.listMessages, { path: { session_id: live.sessionId } })) {
      if (sent.content.text === text) same.push(sent.id);
    }
    assert.deepEqual(same, [message.id]);

    // Another call is another operation: a new key.
    await gw.sendMessage({ path: { session_id: live.sessionId }, body: { type: 'text', chat_id: CUSTOMER, text } });
    assert.notEqual(attempts.at(-1)?.key, attempts[0]?.key);
  });
}
