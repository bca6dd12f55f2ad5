// Channels on messages (issue 14, item 5): every message of the timeline says the channel
// it came in on or went out on, as part of its text ("via WhatsApp"), and the composer
// says which channel identity the reply goes out from, following the "Reply via" choice.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { apiAs, eventually, openConversation, signIn, timeline, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

const WHATSAPP = 'WhatsApp (WhatsApp +33 1 84 88 00 00)';
const SMS = 'SMS (SMS +44 20 7946 0000)';

test('messages on two channels each show their channel, and the composer names the reply channel', async () => {
  // Alice Martin (k-001) writes on WhatsApp in the fixture; now she also writes by SMS.
  await env.server.inbound('k-001', 'ch-sms', 'Texting you instead');
  const page = await signIn(env.browser, env.server.base, 'max@parley.test');
  const view = await openConversation(page, 'All', 'Alice Martin');
  const messages = timeline(view).getByRole('listitem');
  const message = (text) => messages.filter({ hasText: text });

  // The message's accessible text carries its channel, after the sender.
  const sms = message('Texting you instead');
  await sms.waitFor();
  assert.match(await sms.ariaSnapshot(), /Alice Martin\s*via SMS/);
  // Every message says its channel: the fixture's on WhatsApp, the new one by SMS.
  const api = await apiAs(env.server, 'max@parley.test');
  const detail = await api(`/conversations/${(await api('/inboxes/all/conversations?limit=100')).items
    .find((c) => c.contact.name === 'Alice Martin').id}`);
  const all = detail.messages.items;
  const onWhatsApp = all.filter((m) => m.channel === 'ch-whatsapp').length;
  assert.ok(onWhatsApp > 0 && all.length === onWhatsApp + 1, JSON.stringify(all));
  await eventually(async () => {
    assert.equal(await messages.filter({ hasText: /via WhatsApp/ }).count(), onWhatsApp);
    assert.equal(await messages.filter({ hasText: /via SMS/ }).count(), 1);
  });

  // The composer names where the reply goes out from, and follows "Reply via".
  const from = view.getByRole('status').filter({ hasText: /^Sending from / });
  const replyVia = view.getByRole('combobox', { name: 'Reply via' });
  await replyVia.selectOption({ label: SMS });
  await eventually(async () => assert.equal(await from.innerText(), `Sending from ${SMS}`));
  await replyVia.selectOption({ label: WHATSAPP });
  await eventually(async () => assert.equal(await from.innerText(), `Sending from ${WHATSAPP}`));
  await replyVia.selectOption({ label: SMS });
  await eventually(async () => assert.equal(await from.innerText(), `Sending from ${SMS}`));

  // A reply goes out on SMS and says so.
  const composer = view.getByRole('textbox', { name: 'Message' });
  await composer.fill('Got your text');
  await composer.press('Enter');
  await eventually(async () => assert.match(await message('Got your text').innerText(), /via SMS/));

  // In French too.
  await page.getByRole('combobox', { name: 'Language', exact: true }).selectOption({ label: 'Français' });
  const vue = page.getByRole('region', { name: 'Conversation avec Alice Martin' });
  await eventually(async () =>
    assert.match(await timeline(vue).getByRole('listitem').filter({ hasText: 'Texting you instead' }).innerText(), /via SMS/));
  await vue.getByRole('status').filter({ hasText: `Envoi depuis ${SMS}` }).waitFor();
  await page.context().close();
});
