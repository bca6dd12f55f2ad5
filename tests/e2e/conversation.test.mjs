// Two agents on one conversation: a reply sent by one appears live for the other, and
// the sender sees it confirmed. Also sign-in errors, session across reload, sign out.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { apiAs, eventually, inboxLink, signIn, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

async function openConversation(page, inbox, contact) {
  await inboxLink(page, inbox).click();
  const list = page.getByRole('list', { name: inbox, exact: true });
  await list.waitFor();
  await list.getByRole('link', { name: new RegExp(`^${contact}`) }).click();
  const view = page.getByRole('region', { name: `Conversation with ${contact}` });
  await view.waitFor();
  return view;
}

test('a reply sent by one agent appears live for another', async () => {
  // Chloé Farouk (k-003) is Aaron's contact; Max, a manager, sees it in All.
  const aaron = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  const max = await signIn(env.browser, env.server.base, 'max@parley.test');
  const aaronView = await openConversation(aaron, 'Mine', 'Chloé Farouk');
  const maxView = await openConversation(max, 'All', 'Chloé Farouk');
  const composer = aaron.getByRole('textbox', { name: 'Message' });
  await eventually(async () => assert.ok(await composer.evaluate((el) => el === document.activeElement)));
  await composer.fill('Your refund is on its way');
  await composer.press('Shift+Enter');
  await composer.pressSequentially('Anything else?');
  await composer.press('Enter');
  await eventually(async () => assert.equal(await composer.inputValue(), ''));
  const log = (view) => view.getByRole('log', { name: 'Messages' });
  await eventually(async () => {
    const text = await log(maxView).innerText();
    assert.match(text, /Your refund is on its way\s+Anything else\?/);
  });
  await eventually(async () => {
    const last = log(aaronView).getByRole('listitem').last();
    assert.match(await last.innerText(), /Your refund is on its way/);
    assert.doesNotMatch(await last.innerText(), /Sending|Failed/i);
  });
  // The message is there exactly once for both (optimistic copy replaced, not doubled).
  for (const view of [aaronView, maxView]) {
    assert.equal(await log(view).getByRole('listitem').filter({ hasText: 'Your refund is on its way' }).count(), 1);
  }
  // Its delivery state follows what the channel reports: Sent, Delivered, Read — live.
  const reply = log(aaronView).getByRole('listitem').filter({ hasText: 'Your refund is on its way' });
  await eventually(async () => assert.match(await reply.innerText(), /\bSent\b/));
  const api = await apiAs(env.server, 'aaron@parley.test');
  const { messages } = await api('/conversations/' + (await aaron.url()).split('/c/')[1].split('?')[0]);
  const sent = messages.items.find((m) => m.text.startsWith('Your refund is on its way'));
  for (const delivery of ['delivered', 'read']) {
    const res = await fetch(`${env.server.base}/api/v1/simulator/delivery`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: sent.id, delivery }),
    });
    assert.equal(res.status, 200);
    const word = delivery === 'read' ? /\bRead\b/ : /\bDelivered\b/;
    await eventually(async () => assert.match(await reply.innerText(), word));
  }
  // And a customer's message arrives live in both open views.
  await env.server.inbound('k-003', 'ch-instagram', 'Thank you so much!');
  for (const view of [aaronView, maxView]) {
    await eventually(async () => assert.match(await log(view).getByRole('listitem').last().innerText(), /Thank you so much!/));
  }
  await aaron.context().close();
  await max.context().close();
});

test('the contact sidebar shows the contact details', async () => {
  const page = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  await openConversation(page, 'Mine', 'Dmitri Weber');
  const aside = page.getByRole('complementary', { name: 'Contact details' });
  await eventually(async () => {
    const text = await aside.innerText();
    assert.match(text, /Dmitri Weber/);
    assert.match(text, /dmitri\.weber3@example\.com/);
    assert.match(text, /Aaron Diallo/);
  });
  await page.context().close();
});

test('sign-in errors are readable; the session survives a reload; sign out ends it', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.base}/sign-in`);
  await page.getByLabel('Email').fill('aaron@parley.test');
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await eventually(async () => assert.match(await page.getByRole('alert').innerText(), /wrong email or password/i));
  await page.getByLabel('Password').fill('parley-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await inboxLink(page, 'Mine').waitFor();
  await page.reload();
  await inboxLink(page, 'Mine').waitFor();
  // A client route survives a reload too.
  await page.goto(`${env.server.base}/inbox/team-t-sales`);
  await page.getByRole('list', { name: 'Sales', exact: true }).waitFor();
  // A reply being written, and a second tab on the same session.
  const view = await openConversation(page, 'Mine', 'Chloé Farouk');
  await view.getByRole('textbox', { name: 'Message' }).fill('Half-written reply about the refund');
  await eventually(async () => assert.equal((await drafts(page)).length, 1));
  const other = await context.newPage();
  await other.goto(`${env.server.base}/inbox/mine`);
  await inboxLink(other, 'Mine').waitFor();
  await other.getByRole('status').filter({ hasText: /^Live$/ }).waitFor();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Email').waitFor();
  // The next person at this browser reads no draft…
  assert.deepEqual(await drafts(page), []);
  // …and the other tab's socket was closed by the server: it asks to sign in again.
  await other.getByLabel('Email').waitFor({ timeout: 5000 });
  await page.reload();
  await page.getByLabel('Email').waitFor();
  await context.close();
});

/** The reply drafts this browser keeps in localStorage. */
const drafts = (page) =>
  page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('parley.draft.')));
