// The blue new-message indicator, live in the browser: each new conversation lights
// exactly one inbox, Mine > Team > Unassigned > All; the number counts conversations;
// opening an inbox clears its dot; arrivals in the open inbox do not light it.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { dots, eventually, inboxLink, launchBrowser, linkName, signIn, startServer } from './helpers.mjs';

// Aaron is an agent in Sales and Support. Léa is in Sales, Nina in Support, Max (manager)
// in no team. Contacts: k-001 Alice Martin and k-011 Kaito Khan are unassigned, k-003
// Chloé Farouk and k-004 Dmitri Weber are Aaron's, k-005 Elena Dubois is Léa's,
// k-006 Farid Berg is Nina's, k-009 Inès García is Max's.
const ALL = ['All', 'Mine', 'Unassigned', 'Sales', 'Support'];
const none = { All: 0, Mine: 0, Unassigned: 0, Sales: 0, Support: 0 };

let server;
let browser;
let page;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await signIn(browser, server.base, 'aaron@parley.test');
  // Look at Support, which none of the arrivals below lights until Farid writes.
  await inboxLink(page, 'Support').click();
  await page.getByRole('list', { name: 'Support', exact: true }).waitFor();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('no dot before anything arrives', async () => {
  assert.deepEqual(await dots(page, ALL), none);
});

test("a message to someone else's conversation lights All only", async () => {
  await server.inbound('k-009', 'ch-whatsapp', 'Hello from Inès');
  await eventually(async () => assert.deepEqual(await dots(page, ALL), { ...none, All: 1 }));
});

test("a teammate's conversation lights that team's inbox only", async () => {
  await server.inbound('k-005', 'ch-webchat', 'Hello from Elena');
  await eventually(async () => assert.deepEqual(await dots(page, ALL), { ...none, All: 1, Sales: 1 }));
});

test('an unassigned conversation lights Unassigned only, and two messages count 1', async () => {
  await server.inbound('k-001', 'ch-whatsapp', 'Hello from Alice');
  await server.inbound('k-001', 'ch-whatsapp', 'Anyone there?');
  await eventually(async () => assert.deepEqual(await dots(page, ALL), { ...none, All: 1, Sales: 1, Unassigned: 1 }));
  // A second unassigned conversation makes it 2.
  await server.inbound('k-011', 'ch-instagram', 'Hi from Kaito');
  await eventually(async () => assert.deepEqual(await dots(page, ALL), { ...none, All: 1, Sales: 1, Unassigned: 2 }));
});

test('my own conversation lights Mine only', async () => {
  await server.inbound('k-003', 'ch-instagram', 'Hello from Chloé');
  await eventually(async () =>
    assert.deepEqual(await dots(page, ALL), { ...none, All: 1, Sales: 1, Unassigned: 2, Mine: 1 }));
});

test('opening an inbox clears its dot and only its dot', async () => {
  await inboxLink(page, 'Unassigned').click();
  await page.getByRole('list', { name: 'Unassigned', exact: true }).waitFor();
  await eventually(async () => assert.deepEqual(await dots(page, ALL), { ...none, All: 1, Sales: 1, Mine: 1 }));
});

test('an arrival into the open inbox does not light it, and moves to the top of its list', async () => {
  await inboxLink(page, 'Mine').click();
  const list = page.getByRole('list', { name: 'Mine', exact: true });
  await list.waitFor();
  await eventually(async () => assert.equal((await dots(page, ALL)).Mine, 0));
  await server.inbound('k-004', 'ch-email', 'Dmitri here, any news?');
  await eventually(async () => {
    const first = list.getByRole('listitem').first().getByRole('link');
    assert.match(await linkName(first), /^Dmitri Weber/);
  });
  assert.deepEqual(await dots(page, ALL), { ...none, All: 1, Sales: 1 });
});

test('a teammate in Support lights Support, while Sales keeps its own', async () => {
  await server.inbound('k-006', 'ch-sms', 'Farid: my parcel?');
  await eventually(async () => assert.deepEqual(await dots(page, ALL), { ...none, All: 1, Sales: 1, Support: 1 }));
});

test('the dots survive a reload', async () => {
  await page.reload();
  await inboxLink(page, 'All').waitFor();
  await eventually(async () => assert.deepEqual(await dots(page, ALL), { ...none, All: 1, Sales: 1, Support: 1 }));
});

test('the dots follow to a second device, and clearing there clears here', async () => {
  // Signing in opens the first inbox, All, on the second device: that clears All everywhere.
  const second = await signIn(browser, server.base, 'aaron@parley.test');
  const expected = { ...none, Sales: 1, Support: 1 };
  await eventually(async () => assert.deepEqual(await dots(second, ALL), expected));
  await eventually(async () => assert.deepEqual(await dots(page, ALL), expected));
  await inboxLink(second, 'Sales').click();
  await second.getByRole('list', { name: 'Sales', exact: true }).waitFor();
  await eventually(async () => assert.deepEqual(await dots(page, ALL), { ...none, Support: 1 }));
  await second.context().close();
});
