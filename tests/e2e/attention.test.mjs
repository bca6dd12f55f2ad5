// What gets an agent's attention and what they do about it: the header's assignee
// selector (search, keyboard, seen live by the colleague), availability, message actions
// (reply with quote, copy), safe rendering of what contacts write, opening at the first
// unread message, desktop notifications and sound per preferences, and the tab title.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  apiAs, eventually, focused, inboxLink, inboxName, inboxes, liveConnection, openConversation, timeline, useServerAndBrowser,
} from './helpers.mjs';

const env = useServerAndBrowser();

/**
 * Like helpers' signIn, with context options (permissions) and init scripts, which
 * run before the app in every page of the context (to record notifications, tones…).
 */
async function signInWith(email, { permissions = [], init = [] } = {}) {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
  if (permissions.length) await context.grantPermissions(permissions, { origin: env.server.base });
  for (const script of init) await context.addInitScript(script);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page error ${email}]`, e.message));
  await page.goto(`${env.server.base}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('parley-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await inboxes(page).waitFor();
  await liveConnection(page);
  return page;
}

/** `GET path` with the page's own session (a new sign-in would change availability). */
const pageApi = (page, path) =>
  page.evaluate(async (path) => {
    const token = localStorage.getItem('parley.token');
    const res = await fetch(`/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    return res.json();
  }, path);

/** `PUT path body` as `email`, for changes made by someone without a browser. */
async function putAs(email, path, body) {
  const signIn = await fetch(`${env.server.base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'parley-demo' }),
  });
  const { token } = await signIn.json();
  const res = await fetch(`${env.server.base}/api/v1${path}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`PUT ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

const assigneeButton = (view) => view.getByRole('button', { name: /^Assignee: / });
const buttonName = async (view) => (await assigneeButton(view).innerText()).replace(/\s+/g, ' ').trim();

test('assign, reassign and unassign from the header, searching users; the colleague sees it live', async () => {
  // Bruno Lefèvre (k-002) is unassigned and new; Max manages, Léa sees All.
  const max = await signInWith('max@parley.test');
  const lea = await signInWith('lea@parley.test');
  const maxView = await openConversation(max, 'All', 'Bruno Lefèvre');
  const leaView = await openConversation(lea, 'All', 'Bruno Lefèvre');
  assert.equal(await buttonName(maxView), 'Assignee: Unassigned');

  // Assign by mouse, after a search that narrows the list.
  await assigneeButton(maxView).click();
  const search = maxView.getByRole('combobox', { name: 'Search users' });
  await eventually(async () => assert.ok(await focused(search)));
  const users = maxView.getByRole('listbox', { name: 'Users' });
  assert.ok((await users.getByRole('option').count()) >= 7, 'every colleague and Unassigned are offered');
  await search.fill('lea');
  await eventually(async () => assert.deepEqual(await users.getByRole('option').allInnerTexts(), ['Léa Moreau']));
  await users.getByRole('option', { name: 'Léa Moreau' }).click();
  await users.waitFor({ state: 'detached' });
  await eventually(async () => assert.equal(await buttonName(maxView), 'Assignee: Léa Moreau'));
  await eventually(async () => assert.ok(await focused(assigneeButton(maxView))));
  // Léa sees it without reloading: in the header and the audit trail.
  await eventually(async () => assert.equal(await buttonName(leaView), 'Assignee: Léa Moreau'));
  await timeline(leaView).getByRole('listitem')
    .filter({ hasText: 'Max Martin assigned the conversation to Léa Moreau' }).waitFor();

  // Reassign by keyboard only: ↓ opens, typing filters, ↓/↑ move, Enter assigns.
  await assigneeButton(maxView).focus();
  await max.keyboard.press('ArrowDown');
  await eventually(async () => assert.ok(await focused(search)));
  await max.keyboard.type('n');
  // "n" matches several names (Unassigned, Aaron…): arrow down to Nina's.
  const names = await users.getByRole('option').allInnerTexts();
  const nina = names.indexOf('Nina Petrova');
  assert.ok(nina >= 0, `Nina is offered for "n": ${names}`);
  for (let i = 0; i < nina; i++) await max.keyboard.press('ArrowDown');
  assert.equal(
    await search.getAttribute('aria-activedescendant'),
    await users.getByRole('option', { name: 'Nina Petrova' }).getAttribute('id'),
  );
  await max.keyboard.press('Enter');
  await eventually(async () => assert.equal(await buttonName(maxView), 'Assignee: Nina Petrova'));
  await eventually(async () => assert.equal(await buttonName(leaView), 'Assignee: Nina Petrova'));

  // Escape closes without a change, focus back on the button.
  await assigneeButton(maxView).click();
  await search.fill('aaron');
  await max.keyboard.press('Escape');
  await users.waitFor({ state: 'detached' });
  await eventually(async () => assert.ok(await focused(assigneeButton(maxView))));
  assert.equal(await buttonName(maxView), 'Assignee: Nina Petrova');

  // Unassign.
  await assigneeButton(maxView).click();
  await search.fill('unass');
  await users.getByRole('option', { name: 'Unassigned' }).click();
  await eventually(async () => assert.equal(await buttonName(maxView), 'Assignee: Unassigned'));
  await eventually(async () => assert.equal(await buttonName(leaView), 'Assignee: Unassigned'));
  await timeline(leaView).getByRole('listitem').filter({ hasText: 'Max Martin unassigned the conversation' }).waitFor();
  const get = await apiAs(env.server, 'max@parley.test');
  assert.equal((await get('/contacts/k-002')).assignee, null);

  // A search that matches nobody says so.
  await assigneeButton(maxView).click();
  await search.fill('zzz');
  await maxView.getByRole('status').filter({ hasText: 'No user or team matches.' }).waitFor();
  await max.keyboard.press('Escape');
  await max.context().close();
  await lea.context().close();
});

test('availability: away is saved and survives a reload; signing in makes the agent available', async () => {
  const page = await signInWith('nina@parley.test');
  const availability = page.getByRole('combobox', { name: 'Availability' });
  assert.equal(await availability.inputValue(), 'available');
  assert.equal((await pageApi(page, '/me')).user.availability, 'available');

  await availability.selectOption({ label: 'Away' });
  await eventually(async () => assert.equal((await pageApi(page, '/me')).user.availability, 'away'));
  await page.reload();
  await liveConnection(page);
  assert.equal(await page.getByRole('combobox', { name: 'Availability' }).inputValue(), 'away');
  await page.context().close();

  // The default at sign-in is Available.
  const again = await signInWith('nina@parley.test');
  assert.equal(await again.getByRole('combobox', { name: 'Availability' }).inputValue(), 'available');
  assert.equal((await pageApi(again, '/me')).user.availability, 'available');
  await again.context().close();
});

test('message actions by keyboard: reply with quote fills the composer; copy text copies and says so', async () => {
  const page = await signInWith('aaron@parley.test', { permissions: ['clipboard-read', 'clipboard-write'] });
  const view = await openConversation(page, 'Mine', 'Chloé Farouk');
  const message = timeline(view).getByRole('listitem').filter({ hasText: 'Can I get an invoice for order #99391?' });
  const actions = message.locator('.message__actions');
  const opacity = () => actions.evaluate((el) => getComputedStyle(el).opacity);

  // Hidden until the message is hovered or has the focus; reachable by Tab.
  await page.mouse.move(0, 0);
  assert.equal(await opacity(), '0');
  await message.focus();
  assert.equal(await opacity(), '1');
  await page.keyboard.press('Tab');
  const quote = message.getByRole('button', { name: 'Reply with quote' });
  assert.ok(await focused(quote));
  await page.keyboard.press('Enter');
  const composer = view.getByRole('textbox', { name: 'Message' });
  await eventually(async () => assert.equal(await composer.inputValue(), '> Can I get an invoice for order #99391?\n\n'));
  await eventually(async () => assert.ok(await focused(composer)));
  await page.keyboard.type('Sure, here it is.');
  assert.equal(await composer.inputValue(), '> Can I get an invoice for order #99391?\n\nSure, here it is.');

  const other = timeline(view).getByRole('listitem').filter({ hasText: 'The package arrived damaged.' });
  await other.hover();
  await other.getByRole('button', { name: 'Copy text' }).click();
  await page.getByRole('status').filter({ hasText: 'Copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'The package arrived damaged.');
  await page.context().close();
});

test("a contact's markup shows as text; only http(s) and mailto addresses become safe links", async () => {
  const page = await signInWith('aaron@parley.test');
  const view = await openConversation(page, 'Mine', 'Dmitri Weber');
  const text = '<img src=x onerror=window.__pwned=1> see https://example.com/a?b=1. or javascript:alert(1) '
    + '<script>window.__pwned=2</script> mailto:help@example.com';
  await env.server.inbound('k-004', 'ch-email', text);
  const message = timeline(view).getByRole('listitem').filter({ hasText: 'onerror=window.__pwned=1' });
  await message.waitFor();
  assert.equal(await message.locator('.message__text').innerText(), text);
  assert.equal(await message.locator('img, script').count(), 0);
  const links = message.getByRole('link');
  assert.deepEqual(await links.allInnerTexts(), ['https://example.com/a?b=1', 'mailto:help@example.com']);
  const link = links.first();
  assert.equal(await link.getAttribute('href'), 'https://example.com/a?b=1');
  assert.equal(await link.getAttribute('target'), '_blank');
  assert.equal(await link.getAttribute('rel'), 'noopener noreferrer nofollow ugc');
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await page.context().close();
});

test('a conversation with unread messages opens at the first of them, under "New messages"', async () => {
  // Alice Martin (k-001) has a long thread, all read; 25 new messages arrive.
  for (let i = 1; i <= 25; i++) await env.server.inbound('k-001', 'ch-whatsapp', `Unread number ${i}`);
  const page = await signInWith('max@parley.test');
  const view = await openConversation(page, 'All', 'Alice Martin');
  const items = timeline(view).getByRole('listitem');
  const divider = items.filter({ hasText: /^New messages$/ });
  await divider.waitFor();
  // Right above the first unread message.
  const texts = await items.allInnerTexts();
  const at = texts.findIndex((t) => t.trim() === 'New messages');
  assert.match(texts[at + 1], /Unread number 1\b/);
  assert.match(texts[at - 1], /Message 120 of a long thread/);
  // In view, and the end is not: the agent reads from where they stopped.
  const inView = (locator) => locator.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const scroller = el.closest('.timeline').getBoundingClientRect();
    return box.bottom > scroller.top && box.top < scroller.bottom;
  });
  await eventually(async () => assert.ok(await inView(divider)));
  assert.ok(!(await inView(items.filter({ hasText: 'Unread number 25' }))));

  // Read now: opened again, it starts at the end with no divider.
  await openConversation(page, 'All', 'Bruno Lefèvre');
  const again = await openConversation(page, 'All', 'Alice Martin');
  const last = timeline(again).getByRole('listitem').filter({ hasText: 'Unread number 25' });
  await eventually(async () => assert.ok(await inView(last)));
  assert.equal(await timeline(again).getByRole('listitem').filter({ hasText: /^New messages$/ }).count(), 0);
  await page.context().close();
});

/** Records notifications, permission requests and tones instead of (as well as) making them. */
const recorder = () => {
  window.__notes = [];
  window.__asked = 0;
  window.__tones = 0;
  const Real = window.Notification;
  window.__shown = [];
  function Recording(title, options) {
    window.__notes.push({ title, body: options && options.body });
    let shown;
    try {
      shown = new Real(title, options);
    } catch {
      shown = { close() {} };
    }
    window.__shown.push(shown);
    return shown;
  }
  Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
  Recording.requestPermission = (...args) => {
    window.__asked += 1;
    return Real.requestPermission(...args);
  };
  window.Notification = Recording;
  const tone = AudioContext.prototype.createOscillator;
  AudioContext.prototype.createOscillator = function createOscillator() {
    window.__tones += 1;
    return tone.call(this);
  };
};

test('desktop notifications and sound for my conversations, only once turned on', async () => {
  const page = await signInWith('aaron@parley.test', { permissions: ['notifications'], init: [recorder] });
  const notes = () => page.evaluate(() => window.__notes);
  const tones = () => page.evaluate(() => window.__tones);
  const mineNew = async () => Number(((await inboxName(page, 'Mine')).match(/(\d+) new$/) ?? [0, 0])[1]);
  // Clear Mine's dot, then wait on All.
  await inboxLink(page, 'Mine').click();
  await page.getByRole('list', { name: 'Mine', exact: true }).waitFor();
  await inboxLink(page, 'All').click();
  await page.getByRole('list', { name: 'All', exact: true }).waitFor();

  // Off by default: a message for Aaron makes a sound but no notification.
  await env.server.inbound('k-012', 'ch-email', 'First, before notifications');
  await eventually(async () => assert.equal(await mineNew(), 1));
  await eventually(async () => assert.ok((await tones()) > 0));
  assert.deepEqual(await notes(), []);
  assert.equal(await page.evaluate(() => window.__asked), 0, 'the browser is not asked on load');

  await page.getByRole('button', { name: 'Notifications' }).click();
  const desktop = page.getByRole('checkbox', { name: 'Desktop notifications' });
  const sound = page.getByRole('checkbox', { name: 'Sound' });
  assert.ok(!(await desktop.isChecked()));
  assert.ok(await sound.isChecked());
  await desktop.check();
  await sound.uncheck();
  const tonesBefore = await tones();

  await env.server.inbound('k-012', 'ch-email', 'Second, with notifications');
  await eventually(async () => assert.deepEqual(await notes(), [
    { title: 'New message from Laura Laurent', body: 'Second, with notifications' },
  ]));
  // Not someone else's conversation.
  await env.server.inbound('k-005', 'ch-webchat', 'For Léa');
  // A colleague assigns a conversation to Aaron.
  await putAs('max@parley.test', '/contacts/k-011/assignee', { assignee: 'u-aaron' });
  await eventually(async () => assert.equal((await notes()).length, 2));
  assert.deepEqual((await notes())[1], {
    title: 'Assigned to you',
    body: 'Max Martin assigned you the conversation with Kaito Khan',
  });
  assert.equal(await tones(), tonesBefore, 'sound is off');

  // The conversation open in this (focused) tab needs no notification.
  const view = await openConversation(page, 'Mine', 'Laura Laurent');
  await env.server.inbound('k-012', 'ch-email', 'Third, while open');
  await timeline(view).getByRole('listitem').filter({ hasText: 'Third, while open' }).waitFor();
  await env.server.inbound('k-019', 'ch-instagram', 'From Samir meanwhile');
  await eventually(async () => assert.equal((await notes()).length, 3));
  assert.equal((await notes())[2].title, 'New message from Samir Li');
  // Clicking it opens Samir's conversation in Mine.
  await page.evaluate(() => window.__shown.at(-1).onclick());
  await page.waitForURL(/\/inbox\/mine\/c\//);
  await page.getByRole('region', { name: 'Conversation with Samir Li' }).waitFor();

  // The choice is remembered.
  await page.reload();
  await liveConnection(page);
  await page.getByRole('button', { name: 'Notifications' }).click();
  assert.ok(await page.getByRole('checkbox', { name: 'Desktop notifications' }).isChecked());
  assert.ok(!(await page.getByRole('checkbox', { name: 'Sound' }).isChecked()));
  await page.context().close();
});

test('turning notifications on asks the browser; a refusal leaves them off and says why', async () => {
  const page = await signInWith('lea@parley.test', { init: [recorder] });
  assert.equal(await page.evaluate(() => window.__asked), 0);
  await page.getByRole('button', { name: 'Notifications' }).click();
  const desktop = page.getByRole('checkbox', { name: 'Desktop notifications' });
  await desktop.click();
  await eventually(async () => assert.equal(await page.evaluate(() => window.__asked), 1));
  await page.getByRole('alert').filter({ hasText: 'The browser blocks notifications' }).waitFor();
  await eventually(async () => assert.ok(!(await desktop.isChecked())));
  await page.context().close();
});

test('the tab title counts my conversations with new messages', async () => {
  const page = await signInWith('aaron@parley.test');
  await inboxLink(page, 'Mine').click();
  await page.getByRole('list', { name: 'Mine', exact: true }).waitFor();
  await eventually(async () => assert.equal(await page.title(), 'Parley'));
  await inboxLink(page, 'All').click();
  await page.getByRole('list', { name: 'All', exact: true }).waitFor();

  await env.server.inbound('k-020', 'ch-email', 'Tara writes');
  await eventually(async () => assert.equal(await page.title(), '(1) Parley'));
  await env.server.inbound('k-028', 'ch-email', 'Bianca writes');
  await eventually(async () => assert.equal(await page.title(), '(2) Parley'));
  // The favicon carries the count too.
  const icon = async () => decodeURIComponent(await page.locator('link[rel~=icon]').getAttribute('href'));
  assert.match(await icon(), /^data:image\/svg\+xml,.*>2<\/text>/);
  // Another of Tara's messages is the same conversation; a colleague's does not count.
  await env.server.inbound('k-020', 'ch-email', 'Tara again');
  await env.server.inbound('k-006', 'ch-sms', 'For Nina');
  await eventually(async () => assert.ok((await page.getByRole('list', { name: 'All', exact: true }).innerText()).includes('For Nina')));
  assert.equal(await page.title(), '(2) Parley');
  // Opening Mine: seen.
  await inboxLink(page, 'Mine').click();
  await eventually(async () => assert.equal(await page.title(), 'Parley'));
  // Back to index.html's own (relative) address.
  assert.equal(await icon(), 'favicon.svg');
  await page.context().close();
});
