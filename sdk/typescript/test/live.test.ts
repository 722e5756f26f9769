/**
 * The SDK against a live gateway: `gateway up` in a subprocess, every call over HTTP.
 * The tests run in order and share one linked sandbox session.
 */
import { after, before, describe } from 'node:test';

import { Gateway } from '../src/index.js';
import { startGateway } from './support/gateway.js';
import { live } from './live/context.js';
import { registerErrorTests } from './live/errors.js';
import { registerEventTests } from './live/events.js';
import { registerMessageTests } from './live/messages.js';

describe('the SDK against a live gateway', () => {
  before(async () => {
    live.gateway = await startGateway();
    live.gw = new Gateway({ apiKey: live.gateway.apiKey, baseUrl: live.gateway.baseUrl });
  });
  after(async () => {
    await live.gateway?.stop();
  });

  registerMessageTests();
  registerEventTests();
  registerErrorTests();
});
