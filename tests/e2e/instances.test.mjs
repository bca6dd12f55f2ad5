// Two parley-server instances on one PostgreSQL database (issue 13). Agent A (Aaron)
// reaches instance 1 through a TCP load balancer that fails over to instance 2; agent B
// (Léa) uses instance 2, and so does the simulator. The blue dot, the counts, a live
// reply and the accept race of a ringing call behave as on one server; then instance 1
// dies, Aaron's app reconnects through instance 2, and nothing is missing.

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import {
  apiAs, dots, eventually, failoverProxy, inboxLink, inboxName, launchBrowser, liveConnection, openConversation,
  requestAs, signIn, startServer, timeline,
} from './helpers.mjs';

const database = process.env.PARLEY_E2E_PG;
if (!database) throw new Error('PARLEY_E2E_PG is not set: run the browser tests with `cargo xtask test`');

// Aaron is in Sales and Support, Léa in Sales; neither is restricted. k-001 Alice Martin
// and k-011 Kaito Khan are unassigned; k-003 Chloé Farouk and k-004 Dmitri Weber are Aaron's.
let files;
let one;
let two;
let proxy;
let browser;
let aaron;
let lea;

before(async () => {
  files = mkdtempSync(join(tmpdir(), 'parley-files-'));
  one = await startServer({ db: database, args: ['--files', files] });
  two = await startServer({ db: database, args: ['--files', files] });
  proxy = await failoverProxy([one.port, two.port]);
  browser = await launchBrowser();
  aaron = await signIn(browser, proxy.base, 'aaron@parley.test');
  lea = await signIn(browser, two.base, 'lea@parley.test');
  // Each looks at an inbox none of the arrivals below lights.
  await inboxLink(aaron, 'Support').click();
  await inboxLink(lea, 'Sales').click();
});

after(async () => {
  await browser?.close();
  await proxy?.close();
  await one?.stop();
  await two?.stop();
  if (files) rmSync(files, { recursive: true, force: true });
});

const openCount = async (page, inbox) => Number((await inboxName(page, inbox)).match(/, (\d+) open/)[1]);

test('a message committed on instance 2 lights the dot for an agent on instance 1', async () => {
  assert.deepEqual(await dots(aaron, ['Unassigned', 'All']), { Unassigned: 0, All: 0 });
  await two.inbound('k-011', 'ch-instagram', 'Hello from Kaito, through instance 2');
  await eventually(async () => assert.deepEqual(await dots(aaron, ['Unassigned', 'All']), { Unassigned: 1, All: 0 }));
  await eventually(async () => assert.equal((await dots(lea, ['Unassigned'])).Unassigned, 1));
});

test('counts on instance 1 follow an assignment made on instance 2', async () => {
  const before = await openCount(aaron, 'Unassigned');
  // Léa takes Kaito, through instance 2's API.
  const assigned = await requestAs(two, 'lea@parley.test', 'PUT', '/contacts/k-011/assignee', { assignee: 'u-lea' });
  assert.equal(assigned.status, 200, assigned.text);
  await eventually(async () => assert.equal(await openCount(aaron, 'Unassigned'), before - 1));
  // What instance 1 shows is what instance 2 counts.
  const api = await apiAs(two, 'aaron@parley.test');
  const unassigned = (await api('/inboxes')).inboxes.find((i) => i.id === 'unassigned');
  assert.equal(await openCount(aaron, 'Unassigned'), unassigned.open);
});

test("a reply sent on instance 2 appears live, once, on instance 1", async () => {
  const aaronView = await openConversation(aaron, 'All', 'Kaito Khan');
  const leaView = await openConversation(lea, 'Mine', 'Kaito Khan');
  const composer = leaView.getByRole('textbox', { name: 'Message' });
  await composer.fill('Léa here, answering from instance 2');
  await composer.press('Enter');
  await eventually(async () => assert.equal(await composer.inputValue(), ''));
  const reply = timeline(aaronView).getByRole('listitem').filter({ hasText: 'Léa here, answering from instance 2' });
  await reply.waitFor();
  await eventually(async () => assert.equal(await reply.count(), 1));
  await inboxLink(aaron, 'Support').click();
});

test('two agents on two instances accept one ringing call: exactly one gets it', async () => {
  const accept = (page) => page.getByRole('button', { name: 'Accept call from Alice Martin' });
  await two.call('k-001', 'ring');
  await accept(aaron).waitFor();
  await accept(lea).waitFor();
  // Both press at once: DOM clicks, without Playwright's wait for a still button, so the
  // two requests really race (the ringing button pulses, and the loser's goes away).
  const buttons = await Promise.all([accept(aaron).elementHandle(), accept(lea).elementHandle()]);
  await Promise.all(buttons.map((b) => b.evaluate((el) => el.click())));
  const card = (page) => page.getByRole('region', { name: 'Active call' });
  await eventually(async () => {
    const holders = [await card(aaron).count(), await card(lea).count()];
    assert.deepEqual(holders.sort(), [0, 1]);
    assert.equal(await accept(aaron).count() + await accept(lea).count(), 0);
  });
  const winner = (await card(aaron).count()) === 1 ? aaron : lea;
  const api = await apiAs(two, 'max@parley.test');
  assert.equal((await api('/contacts/k-001')).assignee, winner === aaron ? 'u-aaron' : 'u-lea');
  // The loser never gets the card, even after the events settle.
  const loser = winner === aaron ? lea : aaron;
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(await card(loser).count(), 0);
  await card(winner).getByRole('button', { name: 'End call' }).click();
  await card(winner).waitFor({ state: 'detached' });
});

test('instance 1 dies: the app reconnects through instance 2 and nothing is missing', async () => {
  // Start from no dot in Mine.
  await inboxLink(aaron, 'Mine').click();
  await aaron.getByRole('list', { name: 'Mine', exact: true }).waitFor();
  await inboxLink(aaron, 'Support').click();
  await aaron.getByRole('list', { name: 'Support', exact: true }).waitFor();
  await eventually(async () => assert.equal((await dots(aaron, ['Mine'])).Mine, 0));
  await two.inbound('k-003', 'ch-instagram', 'Chloé, just before the outage');
  await eventually(async () => assert.equal((await dots(aaron, ['Mine'])).Mine, 1));

  await one.kill();
  // Committed while Aaron's app has no live connection.
  await two.inbound('k-004', 'ch-email', 'Dmitri, written while instance 1 was down');
  await liveConnection(aaron);
  await eventually(async () => assert.equal((await dots(aaron, ['Mine'])).Mine, 2), 15_000);
  const view = await openConversation(aaron, 'Mine', 'Dmitri Weber');
  await timeline(view).getByText('Dmitri, written while instance 1 was down').waitFor();
  assert.equal(await timeline(view).getByText('Dmitri, written while instance 1 was down').count(), 1);
  // And the app keeps working live through instance 2.
  await two.inbound('k-004', 'ch-email', 'Dmitri again, after the reconnect');
  await timeline(view).getByText('Dmitri again, after the reconnect').waitFor();
});
