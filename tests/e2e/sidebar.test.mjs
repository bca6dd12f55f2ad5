// The contact-details sidebar: editing the contact in place (server validation shown
// next to the form; tags and custom attributes too), merging a duplicate, the Activities tab across conversations, and
// an integration tab (the reference server's local CRM) saving typed fields.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { apiAs, eventually, focused, openConversation, signIn, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

const sidebarOf = (page) => page.getByRole('complementary', { name: 'Contact details' });

/** Signs in and records the page's uncaught errors (a wasm panic is one). */
async function signInWatched(email) {
  const page = await signIn(env.browser, env.server.base, email);
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  return page;
}

async function done(page) {
  assert.deepEqual(page.errors, []);
  await page.context().close();
}

test('editing a contact: a bad phone is refused in words, a good one is saved in E.164', async () => {
  const max = await signInWatched('max@parley.test');
  await openConversation(max, 'All', 'Bruno Lefèvre');
  const sidebar = sidebarOf(max);
  await sidebar.getByRole('button', { name: 'Edit contact' }).click();
  const form = sidebar.getByRole('form', { name: 'Edit contact' });
  await eventually(async () => assert.ok(await focused(form.getByLabel('Name'))));
  assert.equal(await form.getByLabel('Email').inputValue(), 'bruno.lefevre1@example.com');

  await form.getByLabel('Phone').fill('12345');
  await form.getByRole('button', { name: 'Save' }).click();
  await eventually(async () =>
    assert.match(await form.getByRole('alert').innerText(), /^Phone: the phone number must be in international format/));
  // Nothing was saved.
  const get = await apiAs(env.server, 'max@parley.test');
  assert.equal((await get('/contacts/k-002')).phone, '+44 7 18 40 21 80');

  await form.getByLabel('Phone').fill('+44 7700 900 123');
  await form.getByLabel('Country').fill('gb');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  await eventually(async () => {
    const text = await sidebar.innerText();
    assert.match(text, /\+447700900123/);
    assert.match(text, /\bGB\b/);
  });
  // Focus goes back to the button that opened the form.
  await eventually(async () => assert.ok(await focused(sidebar.getByRole('button', { name: 'Edit contact' }))));
  await done(max);
});

test('tags and custom attributes: a bad tag is refused in words, good ones are shown and kept after a reload', async () => {
  const max = await signInWatched('max@parley.test');
  await openConversation(max, 'All', 'Rosa Costa');
  const sidebar = sidebarOf(max);
  const tags = sidebar.getByRole('list', { name: 'Tags' });
  const attributes = sidebar.getByRole('table', { name: 'Custom attributes' });
  assert.equal(await tags.count(), 0);
  assert.equal(await attributes.count(), 0);

  await sidebar.getByRole('button', { name: 'Edit contact' }).click();
  const form = sidebar.getByRole('form', { name: 'Edit contact' });
  await form.getByLabel('Tags').fill('VIP, needs follow up');
  await form.getByRole('button', { name: 'Add attribute' }).click();
  const name = form.getByRole('textbox', { name: 'Attribute name' }).last();
  await eventually(async () => assert.ok(await focused(name)));
  await name.fill('plan');
  await form.getByRole('textbox', { name: 'Attribute value' }).last().fill('pro');
  await form.getByRole('button', { name: 'Save' }).click();
  await eventually(async () =>
    assert.equal(await form.getByRole('alert').innerText(),
      'Tags: the tag "needs follow up" must be 1 to 32 letters, digits, hyphens or underscores'));
  // Nothing was saved, the attribute neither.
  const get = await apiAs(env.server, 'max@parley.test');
  const before = await get('/contacts/k-018');
  assert.deepEqual([before.tags, before.attributes], [[], {}]);

  await form.getByLabel('Tags').fill('VIP, needs-follow-up, vip');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  const shown = async () => {
    assert.deepEqual(await tags.getByRole('listitem').allInnerTexts(), ['vip', 'needs-follow-up']);
    await attributes.getByRole('row', { name: 'plan pro' }).waitFor({ timeout: 1000 });
  };
  await eventually(shown);
  const saved = await get('/contacts/k-018');
  assert.deepEqual([saved.tags, saved.attributes], [['vip', 'needs-follow-up'], { plan: 'pro' }]);

  // Still there after a reload. A name given twice is refused; then the attribute goes.
  await max.reload();
  await eventually(shown);
  await sidebar.getByRole('button', { name: 'Edit contact' }).click();
  assert.equal(await form.getByLabel('Tags').inputValue(), 'vip, needs-follow-up');
  await form.getByRole('button', { name: 'Add attribute' }).click();
  await form.getByRole('textbox', { name: 'Attribute name' }).last().fill('plan');
  await form.getByRole('textbox', { name: 'Attribute value' }).last().fill('free');
  await form.getByRole('button', { name: 'Save' }).click();
  await eventually(async () =>
    assert.equal(await form.getByRole('alert').innerText(), 'Attributes: the attribute "plan" is given twice'));
  assert.deepEqual((await get('/contacts/k-018')).attributes, { plan: 'pro' });
  await form.getByRole('button', { name: 'Remove attribute plan' }).last().click();
  await form.getByRole('button', { name: 'Remove attribute plan' }).click();
  assert.equal(await form.getByRole('textbox', { name: 'Attribute name' }).count(), 0);
  await eventually(async () => assert.ok(await focused(form.getByRole('button', { name: 'Add attribute' }))));
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  await attributes.waitFor({ state: 'detached' });
  assert.deepEqual((await get('/contacts/k-018')).attributes, {});
  await done(max);
});

test('a contact sharing an email is suggested and merged after a confirmation', async () => {
  const max = await signInWatched('max@parley.test');
  await openConversation(max, 'All', 'Quentin Silva');
  const sidebar = sidebarOf(max);
  const duplicates = sidebar.getByRole('list', { name: 'Possible duplicates' });
  assert.equal(await duplicates.count(), 0);
  const channels = sidebar.getByRole('list', { name: 'Connected channels' });
  assert.match(await channels.innerText(), /WhatsApp/);
  assert.doesNotMatch(await channels.innerText(), /@parley\.shop/);

  // Giving Quentin Kaito Khan's email makes Kaito a duplicate.
  await sidebar.getByRole('button', { name: 'Edit contact' }).click();
  const form = sidebar.getByRole('form', { name: 'Edit contact' });
  await form.getByLabel('Email').fill('KAITO.KHAN10@example.com');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  const merge = duplicates.getByRole('button', { name: 'Merge Kaito Khan into this contact' });
  await merge.waitFor();

  // Cancel keeps everything; confirming merges.
  await merge.click();
  const confirm = sidebar.getByRole('group', { name: 'Confirm merge' });
  assert.match(await confirm.innerText(), /Merge Kaito Khan into Quentin Silva\?/);
  await eventually(async () => assert.ok(await focused(confirm.getByRole('button', { name: 'Confirm merge' }))));
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'detached' });
  await merge.click();
  await confirm.getByRole('button', { name: 'Confirm merge' }).click();

  // The suggestion goes; Quentin now has Kaito's channels (Instagram and SMS).
  await duplicates.waitFor({ state: 'detached' });
  await eventually(async () => {
    const text = await channels.innerText();
    assert.match(text, /@parley\.shop/);
    assert.match(text, /SMS/);
  });
  const get = await apiAs(env.server, 'max@parley.test');
  await assert.rejects(get('/contacts/k-011'), /404/);
  assert.equal((await get('/contacts/k-017')).email, 'KAITO.KHAN10@example.com');
  // Kaito's conversation now belongs to Quentin: no list shows Kaito any more.
  const all = max.getByRole('list', { name: 'All', exact: true });
  await eventually(async () => assert.equal(await all.getByRole('link', { name: /^Kaito Khan/ }).count(), 0));
  await done(max);
});

test('the Activities tab lists a note just added in the conversation, newest first', async () => {
  const max = await signInWatched('max@parley.test');
  const view = await openConversation(max, 'All', 'Inès García');
  const sidebar = sidebarOf(max);
  const tab = sidebar.getByRole('tab', { name: 'Activities', exact: true });
  await tab.click();
  assert.equal(await tab.getAttribute('aria-selected'), 'true');
  assert.equal(await sidebar.getByRole('tab', { name: 'Contact details' }).getAttribute('aria-selected'), 'false');
  const panel = sidebar.getByRole('tabpanel', { name: 'Activities' });
  await panel.waitFor();

  await view.getByRole('button', { name: 'Internal note' }).click();
  const composer = view.getByRole('textbox', { name: 'Message' });
  await composer.fill('Prefers calls after 6pm');
  await composer.press('Enter');
  const list = panel.getByRole('list', { name: 'Activities' });
  await eventually(async () =>
    assert.match(await list.getByRole('listitem').first().innerText(), /Max \w+ added a note: Prefers calls after 6pm/));

  // Keyboard: the arrows move between tabs (Contact details, Conversations, Activities…).
  await tab.focus();
  await max.keyboard.press('ArrowLeft');
  const conversations = sidebar.getByRole('tab', { name: 'Conversations' });
  assert.equal(await conversations.getAttribute('aria-selected'), 'true');
  assert.ok(await focused(conversations));
  await max.keyboard.press('ArrowLeft');
  const details = sidebar.getByRole('tab', { name: 'Contact details' });
  assert.equal(await details.getAttribute('aria-selected'), 'true');
  assert.ok(await focused(details));
  await sidebar.getByRole('button', { name: 'Edit contact' }).waitFor();
  await done(max);
});

test('the CRM tab saves typed fields, refuses a bad number in words, and keeps them after a reload', async () => {
  const max = await signInWatched('max@parley.test');
  await openConversation(max, 'All', 'Hugo Roux');
  const sidebar = sidebarOf(max);
  await sidebar.getByRole('tab', { name: 'CRM' }).click();
  const form = sidebar.getByRole('form', { name: 'CRM' });
  await form.getByLabel('Company').fill('ACME');
  await form.getByLabel('Deal value').fill('lots');
  await form.getByLabel('Stage').selectOption('Customer');
  await form.getByRole('button', { name: 'Save' }).click();
  await eventually(async () => assert.match(await form.getByRole('alert').innerText(), /^Deal value: must be a number/));

  await form.getByLabel('Deal value').fill('1200.50');
  await form.getByLabel('Renewal date').fill('2027-03-31');
  await form.getByRole('button', { name: 'Save' }).click();
  await eventually(async () => assert.equal(await form.getByRole('status').innerText(), 'Saved'));
  assert.equal(await form.getByRole('alert').count(), 0);

  await max.reload();
  await sidebar.getByRole('tab', { name: 'CRM' }).click();
  await eventually(async () => assert.equal(await form.getByLabel('Company').inputValue(), 'ACME'));
  assert.equal(await form.getByLabel('Deal value').inputValue(), '1200.50');
  assert.equal(await form.getByLabel('Renewal date').inputValue(), '2027-03-31');
  assert.equal(await form.getByLabel('Stage').inputValue(), 'Customer');
  await done(max);
});
