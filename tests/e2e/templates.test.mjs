// Starting a conversation (issue 14, item 2): from the contacts page, New conversation
// picks one of the contact's channels in a dialog and opens the conversation (assigning
// the unassigned contact to the agent); outside WhatsApp's 24-hour window free text is
// refused in words and only an approved template goes out, filled and previewed first.
// A manager adds a template on /settings/templates (validated in words); agents get no link.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  apiAs, checkA11y, eventually, focused, requestAs, setClock, signIn, timeline, useServerAndBrowser,
} from './helpers.mjs';

const env = useServerAndBrowser();

test('start a WhatsApp conversation outside the window: free text is refused, the template goes out', async () => {
  // Quentin Silva (k-017, unassigned, WhatsApp only) wrote in the fixture; his conversation
  // is closed, and two days later the 24-hour window is long closed.
  const closed = await requestAs(env.server, 'max@parley.test', 'POST', '/conversations/cv-020/lifecycle',
    { action: 'close' });
  assert.equal(closed.status, 200, closed.text);
  await setClock(env.server, 2 * 24 * 3600 * 1000);

  const page = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  assert.equal(await page.getByRole('link', { name: 'Message templates' }).count(), 0, 'agents get no link');
  await page.getByRole('link', { name: 'Contacts', exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search contacts' }).fill('Quentin Silva');
  const results = page.getByRole('list', { name: 'Contacts', exact: true });
  await results.getByRole('link', { name: /^Quentin Silva/ }).click();
  const sidebar = page.getByRole('complementary', { name: 'Contact details' });
  await sidebar.getByRole('heading', { name: 'Quentin Silva' }).waitFor();

  // The dialog: labelled, focus inside, Escape closes it and the focus comes back.
  const opener = sidebar.getByRole('button', { name: 'New conversation' });
  await opener.click();
  const dialog = page.getByRole('dialog', { name: 'New conversation' });
  const whatsapp = dialog.getByRole('radio', { name: 'WhatsApp (WhatsApp +33 1 84 88 00 00)' });
  await whatsapp.waitFor();
  assert.ok(await whatsapp.isChecked(), 'his one channel is chosen');
  await eventually(async () => assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement))));
  await checkA11y(page, 'New conversation dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await eventually(async () => assert.ok(await focused(opener)));
  await opener.click();
  await dialog.getByRole('button', { name: 'Start conversation' }).click();

  // The new conversation opens in Aaron's inbox: starting it assigned Quentin to him.
  const view = page.getByRole('region', { name: 'Conversation with Quentin Silva' });
  await view.waitFor();
  await eventually(async () => assert.match(page.url(), /\/inbox\/mine\/c\/cv-\d+/));
  const api = await apiAs(env.server, 'aaron@parley.test');
  assert.equal((await api('/contacts/k-017')).assignee, 'u-aaron');

  // Free text is refused in words (the composer says why; the server's own answer too).
  await view.getByText(/^The 24-hour WhatsApp customer-service window has closed/).waitFor();
  assert.ok(await view.getByRole('textbox', { name: 'Message' }).isDisabled());
  const id = page.url().match(/\/c\/(cv-\d+)/)[1];
  const refused = await requestAs(env.server, 'aaron@parley.test', 'POST', `/conversations/${id}/messages`,
    { client_id: 'e2e-free', text: 'Hello?' });
  assert.equal(refused.status, 409);
  assert.equal(JSON.parse(refused.text).error.code, 'window_closed');

  // Only approved templates are offered (not the fixture's "Spring sale").
  const form = view.getByRole('form', { name: 'Send template' });
  const select = form.getByRole('combobox', { name: 'Template' });
  await eventually(async () => assert.deepEqual(await select.locator('option').allInnerTexts(), [
    'Choose a template',
    'Commande expédiée · fr · Utility',
    'Follow-up · en · Utility',
    'Order shipped · en · Utility',
  ]));
  await select.selectOption({ label: 'Order shipped · en · Utility' });
  const send = form.getByRole('button', { name: 'Send template' });
  await form.getByRole('textbox', { name: 'Value for {{1}}' }).fill('Quentin');
  assert.ok(await send.isDisabled(), 'every placeholder needs its value');
  await form.getByRole('textbox', { name: 'Value for {{2}}' }).fill('#1042');
  const filled = 'Hello Quentin, your order #1042 has shipped. Reply to this message if you have any questions.';
  await form.getByRole('note').filter({ hasText: filled }).waitFor();
  await checkA11y(page, 'the composer outside the window, a template filled');
  await send.click();

  // The message appears in the thread with the filled body, marked as a template.
  const sent = timeline(view).getByRole('listitem').filter({ hasText: filled });
  await sent.waitFor();
  assert.match(await sent.innerText(), /Template/);
  await eventually(async () => assert.equal(await select.inputValue(), ''), 'the form starts again');
  const detail = await api(`/conversations/${id}`);
  const last = detail.messages.items.at(-1);
  assert.deepEqual([last.text, last.template], [filled, 'tp-order-shipped']);
  await page.context().close();
  await setClock(env.server, 0);
});

test('a manager adds a template on the settings page, checked in words', async () => {
  const max = await signIn(env.browser, env.server.base, 'max@parley.test');
  await max.getByRole('link', { name: 'Message templates' }).click();
  await max.getByRole('heading', { name: 'Message templates', level: 1 }).waitFor();
  const list = max.getByRole('list', { name: 'Message templates' });
  await list.getByRole('listitem').filter({ hasText: 'Spring sale' }).filter({ hasText: 'Not approved' }).waitFor();
  await checkA11y(max, 'templates settings');

  const form = max.getByRole('form', { name: 'New template' });
  await form.getByRole('textbox', { name: 'Template name' }).fill('Delivery slot');
  await form.getByRole('textbox', { name: /^Body/ }).fill('Hi, your slot is {{2}}.');
  const add = form.getByRole('button', { name: 'Add template' });
  await add.click();
  await eventually(async () => assert.equal(await max.getByRole('alert').innerText(),
    'Placeholder {{1}} is missing: number them from 1 without gaps.'));
  await form.getByRole('textbox', { name: /^Language code/ }).fill('English');
  await form.getByRole('textbox', { name: /^Body/ }).fill('Hi {{1}}, your slot is {{2}}.');
  await add.click();
  await eventually(async () => assert.equal(await max.getByRole('alert').innerText(),
    '“English” is not a language code such as en, fr or pt_BR.'));
  await form.getByRole('textbox', { name: /^Language code/ }).fill('en');
  await form.getByRole('combobox', { name: 'Category' }).selectOption({ label: 'Marketing' });
  await add.click();
  const added = list.getByRole('listitem').filter({ hasText: 'Delivery slot' });
  await added.waitFor();
  assert.match(await added.innerText(), /en · Marketing · Approved/);
  assert.equal(await max.getByRole('alert').count(), 0);
  assert.equal(await form.getByRole('textbox', { name: 'Template name' }).inputValue(), '');

  // Every agent reads it; only those who may keep the list change it.
  const api = await apiAs(env.server, 'aaron@parley.test');
  assert.ok((await api('/templates')).some((t) => t.name === 'Delivery slot'));
  const refused = await requestAs(env.server, 'aaron@parley.test', 'POST', '/templates',
    { name: 'x', language: 'en', category: 'utility', body: 'x', approved: true });
  assert.equal(refused.status, 403);
  await list.getByRole('button', { name: 'Delete Delivery slot' }).click();
  await eventually(async () => assert.equal(await list.getByRole('listitem').filter({ hasText: 'Delivery slot' }).count(), 0));
  await max.context().close();
});
