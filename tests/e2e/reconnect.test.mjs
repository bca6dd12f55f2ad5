// The socket comes back by itself after the server restarts, and what happened while
// it was down reaches the screen without a reload.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { dots, eventually, inboxLink, launchBrowser, liveConnection, signIn, startServer } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('reconnects after a server restart and catches up without a reload', async () => {
  const page = await signIn(browser, server.base, 'aaron@parley.test');
  await inboxLink(page, 'Support').click();
  await page.getByRole('list', { name: 'Support', exact: true }).waitFor();
  const { dir, port } = server;
  await server.stop({ keep: true });
  await page.getByRole('status').filter({ hasText: /reconnecting/i }).waitFor({ timeout: 10_000 });
  server = await startServer({ dir, port });
  // Arrives while the app may still be waiting to retry: it must not be lost.
  await server.inbound('k-001', 'ch-whatsapp', 'Written during the outage');
  await liveConnection(page);
  await eventually(async () => assert.equal((await dots(page, ['Unassigned'])).Unassigned, 1), 15_000);
});
