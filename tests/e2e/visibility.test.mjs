// What a restricted agent sees in the browser: a `self` agent has only Mine, and a
// teammate's conversation never reaches their screen, while their own arrives live.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { eventually, inboxes, launchBrowser, linkNames, signIn, startServer } from './helpers.mjs';

let server;
let browser;
let page;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // Sam: agent in Support with restriction `self`. k-008 Hugo Roux is Sam's contact;
  // k-006 Farid Berg is Nina's (Sam's teammate in Support).
  page = await signIn(browser, server.base, 'sam@parley.test');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a self agent sees only Mine', async () => {
  const names = await linkNames(inboxes(page));
  assert.equal(names.length, 1, `inbox links: ${names}`);
  assert.match(names[0], /^Mine, \d+ open$/);
  const list = page.getByRole('list', { name: 'Mine', exact: true });
  await list.waitFor();
  const items = await list.getByRole('listitem').allInnerTexts();
  assert.ok(items.length > 0);
  assert.ok(items.every((t) => !t.includes('Farid Berg')));
});

test("a teammate's conversation never shows; their own arrives live", async () => {
  const list = page.getByRole('list', { name: 'Mine', exact: true });
  await server.inbound('k-006', 'ch-sms', 'SECRET for Nina only');
  await server.inbound('k-008', 'ch-viber', 'Hugo says hi');
  await eventually(async () => {
    const first = list.getByRole('listitem').first();
    assert.match(await first.innerText(), /Hugo Roux/);
    assert.match(await first.innerText(), /Hugo says hi/);
  });
  assert.equal(await page.getByText('SECRET for Nina only').count(), 0);
  assert.equal(await page.getByText('Farid Berg').count(), 0);
});
