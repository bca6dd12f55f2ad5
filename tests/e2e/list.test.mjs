// The conversation list: the assignee filter (counts, Unassigned, kept in the URL), bulk
// resolve for those allowed, what an item shows, 20 000 conversations in a virtual list
// with a bounded number of rows, and moving through the list with the keyboard.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  apiAs, eventually, focused, inboxLink, linkName, linkNames, setClock, signIn, startServer, useServerAndBrowser,
} from './helpers.mjs';

const env = useServerAndBrowser();
const DAY = 24 * 3600 * 1000;

/** A REST call with a body, as `email` (apiAs only reads). */
async function send(server, email, method, path, body) {
  const session = await fetch(`${server.base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'parley-demo' }),
  });
  const { token } = await session.json();
  const res = await fetch(`${server.base}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function simulator(server, path, body) {
  const res = await fetch(`${server.base}/api/v1/simulator/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`simulator ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

const assigneePicker = (page) => page.getByRole('combobox', { name: 'Assignee' });
const optionTexts = async (page) => (await assigneePicker(page).locator('option').allInnerTexts()).map((t) => t.trim());
/** The accessible name of the focused element. */
const focusedName = (page) => linkName(page.locator('a:focus'));

test('the assignee filter shows each assignee with a count, Unassigned included, and survives a reload', async () => {
  const api = await apiAs(env.server, 'max@parley.test');
  const counts = await api('/inboxes/all/assignees?status=open');
  const count = (id) => counts.find((c) => c.assignee === id)?.count ?? 0;
  const total = counts.reduce((n, c) => n + c.count, 0);
  assert.ok(count(null) > 0 && count('u-aaron') > 0, 'the fixture has both');

  const page = await signIn(env.browser, env.server.base, 'max@parley.test');
  await inboxLink(page, 'All').click();
  await eventually(async () => {
    const options = await optionTexts(page);
    assert.equal(options[0], `All (${total})`);
    assert.ok(options.includes(`Unassigned (${count(null)})`), options.join(' | '));
    assert.ok(options.includes(`Aaron Diallo (${count('u-aaron')})`), options.join(' | '));
  });

  await assigneePicker(page).selectOption('none');
  await page.waitForURL(/assignee=none/);
  const list = page.getByRole('list', { name: 'All', exact: true });
  await eventually(async () => assert.equal(await list.getByRole('listitem').count(), count(null)));
  assert.deepEqual((await linkNames(list)).filter((n) => /, assigned to /.test(n)), []);

  // The choice is in the URL: a reload keeps it.
  await page.reload();
  await eventually(async () => assert.equal(await assigneePicker(page).inputValue(), 'none'));
  await eventually(async () => assert.equal(await list.getByRole('listitem').count(), count(null)));
  // …and so does opening a conversation of the list.
  await list.getByRole('link').first().click();
  await page.waitForURL(/\/c\/.*assignee=none/);

  // Counts follow live changes: Bruno Lefèvre (unassigned) is given to Aaron elsewhere.
  await send(env.server, 'max@parley.test', 'PUT', '/contacts/k-002/assignee', { assignee: 'u-aaron' });
  await eventually(async () => {
    const options = await optionTexts(page);
    assert.ok(options.includes(`Unassigned (${count(null) - 1})`), options.join(' | '));
    assert.ok(options.includes(`Aaron Diallo (${count('u-aaron') + 1})`), options.join(' | '));
  });
  await eventually(async () => assert.equal(await list.getByRole('listitem').count(), count(null) - 1));
  await send(env.server, 'max@parley.test', 'PUT', '/contacts/k-002/assignee', { assignee: null });
  await page.context().close();
});

test('list items show assignee initials, the online dot of a web-chat visitor and the closed check', async () => {
  const page = await signIn(env.browser, env.server.base, 'max@parley.test');
  await inboxLink(page, 'All').click();
  const list = page.getByRole('list', { name: 'All', exact: true });
  // Elena Dubois (k-005) chats on the website and is Léa Moreau's.
  const elena = list.getByRole('link', { name: /^Elena Dubois/ });
  await elena.waitFor();
  // The row shows the initials and, while she is on the page, a dot; its name says it in words.
  await elena.getByText('LM', { exact: true }).waitFor();
  assert.match(await linkName(elena), /^Elena Dubois, Web chat, assigned to Léa Moreau/);
  assert.equal(await elena.getByTitle('Online').count(), 0);

  await simulator(env.server, 'presence', { contact: 'k-005', online: true });
  await elena.getByTitle('Online').waitFor();
  assert.match(await linkName(elena), /^Elena Dubois, Web chat, online, assigned to Léa Moreau/);
  await simulator(env.server, 'presence', { contact: 'k-005', online: false });
  await elena.getByTitle('Online').waitFor({ state: 'detached' });

  // Alice Martin's first conversation (cv-001) is closed.
  await page.getByRole('combobox', { name: 'Status' }).selectOption('closed');
  const alice = list.getByRole('link', { name: /^Alice Martin/ });
  await alice.getByTitle('Closed').waitFor();
  assert.match(await linkName(alice), /^Alice Martin, [^,]+, closed/);
  // Open conversations have no check.
  await page.getByRole('combobox', { name: 'Status' }).selectOption('open');
  await list.getByRole('link', { name: /^Alice Martin/ }).waitFor();
  assert.equal(await list.getByTitle('Closed').count(), 0);
  assert.deepEqual((await linkNames(list)).filter((n) => /, closed/.test(n)), []);
  await page.context().close();
});

test('the keyboard moves through the list and opens a conversation; focus survives live updates', async () => {
  const page = await signIn(env.browser, env.server.base, 'max@parley.test');
  await inboxLink(page, 'All').click();
  const list = page.getByRole('list', { name: 'All', exact: true });
  const links = list.getByRole('link');
  await links.first().waitFor();
  // One Tab stop for the whole list.
  assert.equal(await list.locator('a[tabindex="0"]').count(), 1);
  await links.first().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await eventually(async () => assert.ok(await focused(links.nth(2))));
  await page.keyboard.press('ArrowUp');
  await eventually(async () => assert.ok(await focused(links.nth(1))));
  const second = (await focusedName(page)).split(',')[0];

  // A customer writes in elsewhere: their conversation jumps to the top, the focus stays
  // on the same conversation.
  const count = await links.count();
  await page.keyboard.press('End');
  await eventually(async () => assert.ok(await focused(links.nth(count - 1))));
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await eventually(async () => assert.equal((await focusedName(page)).split(',')[0], second));
  await env.server.inbound('k-018', 'ch-messenger', 'Hello? Anyone there?');
  await list.getByRole('link', { name: /^Rosa Costa/ }).first().waitFor();
  await eventually(async () => assert.match(await linkName(links.first()), /^Rosa Costa/));
  await eventually(async () => assert.equal((await focusedName(page)).split(',')[0], second));

  // Enter opens it.
  await page.keyboard.press('Enter');
  await page.getByRole('region', { name: `Conversation with ${second}` }).waitFor();
  await page.context().close();
});

test('bulk resolve closes the old conversations of the list; only users with the permission see it', async () => {
  // Its own server: the clock moves ten days ahead.
  const server = await startServer();
  try {
    const agent = await signIn(env.browser, server.base, 'aaron@parley.test');
    await inboxLink(agent, 'All').click();
    await agent.getByRole('list', { name: 'All', exact: true }).getByRole('link').first().waitFor();
    assert.equal(await agent.getByRole('button', { name: 'Bulk resolve' }).count(), 0);
    await agent.context().close();

    const { now } = await setClock(server, 10 * DAY);
    // Bruno Lefèvre writes again: his conversation is fresh, every other one is old.
    await server.inbound('k-002', 'ch-messenger', 'Still waiting for my parcel');
    const api = await apiAs(server, 'max@parley.test');
    const before = (await api('/inboxes/unassigned/conversations?limit=200')).items;
    const old = before.filter((c) => c.last_activity_at < now - 7 * DAY);
    assert.ok(old.length > 1 && old.length === before.length - 1);

    const page = await signIn(env.browser, server.base, 'max@parley.test');
    await inboxLink(page, 'Unassigned').click();
    const list = page.getByRole('list', { name: 'Unassigned', exact: true });
    await eventually(async () => assert.equal(await list.getByRole('listitem').count(), before.length));
    const button = page.getByRole('button', { name: 'Bulk resolve' });
    await button.click();
    const dialog = page.getByRole('dialog', { name: 'Bulk resolve' });
    await dialog.getByLabel('Older than (days)').fill('7');
    await dialog.getByLabel('Reason').selectOption({ label: 'No response' });
    await dialog.getByRole('button', { name: 'Resolve' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: `${old.length} conversations closed` }).waitFor();
    await eventually(async () => assert.ok(await focused(button)));
    // The list keeps Bruno only, live.
    await eventually(async () => assert.equal(await list.getByRole('listitem').count(), 1));
    await list.getByRole('link', { name: /^Bruno Lefèvre/ }).waitFor();
    // Each closed conversation's trail records it, with the reason.
    const detail = await api(`/conversations/${old[0].id}`);
    assert.equal(detail.conversation.status, 'closed');
    const last = detail.activities.at(-1);
    assert.deepEqual([last.kind, last.reason, last.older_than_days], ['bulk_resolved', 'No response', 7]);
    await page.context().close();
  } finally {
    await server.stop();
  }
});

test('20 000 conversations scroll with a bounded number of rows, and far ones are reachable', async () => {
  const server = await startServer();
  try {
    const started = Date.now();
    assert.deepEqual(await simulator(server, 'bulk-inbound', { count: 20_000 }), { created: 20_000 });
    assert.ok(Date.now() - started < 15_000, `bulk inbound took ${Date.now() - started} ms`);
    const api = await apiAs(server, 'max@parley.test');
    const total = (await api('/inboxes/unassigned/assignees')).reduce((n, c) => n + c.count, 0);
    assert.ok(total > 20_000);

    const page = await signIn(env.browser, server.base, 'max@parley.test');
    await inboxLink(page, 'Unassigned').click();
    const list = page.getByRole('list', { name: 'Unassigned', exact: true });
    const items = list.getByRole('listitem');
    await list.getByRole('link', { name: /^Visitor 1,/ }).waitFor();
    // Screen readers learn the whole size from every item.
    await eventually(async () => assert.equal(await items.first().getAttribute('aria-setsize'), String(total)));
    assert.equal(await items.first().getAttribute('aria-posinset'), '1');

    // Scroll down page after page (each end of what is loaded brings the next page)
    // until Visitor 3000 exists; the number of rows stays bounded all the way.
    const farName = /^Visitor 3000,/;
    const far = list.getByRole('link', { name: farName });
    const loadedHeight = () => list.evaluate((ul) => ul.scrollHeight);
    let most = 0;
    const rowHeight = 72;
    // Until the pages loaded reach past row 3,000 (a scroll may bring two pages at once,
    // so the window need not pass over Visitor 3000 on the way)…
    for (let i = 0; i < 200 && (await loadedHeight()) < 3_100 * rowHeight && (await far.count()) === 0; i++) {
      const height = await loadedHeight();
      await list.evaluate((ul) => { ul.parentElement.scrollTop = ul.parentElement.scrollHeight; });
      // A page of 100 is computed over all 20 000 rows by a debug-build server: allow it time.
      await eventually(async () => assert.ok((await loadedHeight()) > height || (await far.count()) > 0), 30_000);
      most = Math.max(most, await items.count());
      assert.ok(most < 150, `${most} rows rendered`);
    }
    assert.ok(most > 0);
    // …then scroll back to around row 3,000: it is rendered there, and rows stay bounded.
    await list.evaluate((ul, y) => { ul.parentElement.scrollTop = y; }, 2_990 * rowHeight);
    await far.waitFor();
    await far.scrollIntoViewIfNeeded();
    const position = Number(await list.getByRole('listitem').filter({ has: page.getByRole('link', { name: farName }) }).getAttribute('aria-posinset'));
    assert.ok(position > 3000, `Visitor 3000 at ${position}`);
    assert.equal(await list.getByRole('link', { name: /^Visitor 1,/ }).count(), 0, 'the top rows are gone');
    assert.ok((await items.count()) < 150);
    await far.click();
    await page.getByRole('region', { name: 'Conversation with Visitor 3000' }).waitFor();

    // Back to the top: the first rows come back.
    await list.evaluate((ul) => { ul.parentElement.scrollTop = 0; });
    await list.getByRole('link', { name: /^Visitor 1,/ }).waitFor();
    assert.ok((await items.count()) < 150);
    await page.context().close();
  } finally {
    await server.stop();
  }
});
