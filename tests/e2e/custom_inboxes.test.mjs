// Custom inboxes: Max saves a filter ("contact name contains Berg", open conversations)
// shared with Aaron. Aaron finds it under "By others", cannot edit it, and sees its
// conversations as computed when he opened it: a new matching conversation shows only
// after Refresh (custom inboxes are not live), and the banner says when it was computed.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { eventually, focused, inboxLink, linkName, linkNames, newCount, setClock, signIn, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

// Open conversations whose contact's name contains "Berg": Fatou Berg (Tess's) and
// Zoé Berg (Olivia's). Farid Berg (Nina's, in Support with Aaron) has only a closed one.
const NAME = 'Berg contacts';

const custom = (page) => page.getByRole('region', { name: 'Custom inboxes' });
const customLink = (page, name) => custom(page).getByRole('link', { name, exact: true });
const list = (page) => page.getByRole('list', { name: NAME, exact: true });
const names = async (page) =>
  (await linkNames(list(page)))
    .map((label) => label.split(',')[0])
    .sort();

test('a shared custom inbox: seen by others, editable by its creator only, refreshed on demand', async () => {
  const max = await signIn(env.browser, env.server.base, 'max@parley.test');

  // Max creates it in the dialog, shared with Aaron only.
  await custom(max).getByRole('button', { name: 'New custom inbox' }).click();
  const dialog = max.getByRole('dialog', { name: 'New custom inbox' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(NAME);
  await dialog.getByRole('combobox', { name: 'Contact field' }).selectOption('name');
  await dialog.getByRole('textbox', { name: 'Contains' }).fill('berg');
  await dialog.getByRole('radio', { name: 'Chosen users' }).check();
  await dialog.getByRole('group', { name: 'Share with' }).getByRole('checkbox', { name: 'Aaron Diallo' }).check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });

  // It opens: its conversations, and Edit/Delete for its creator.
  await eventually(async () => assert.deepEqual(await names(max), ['Fatou Berg', 'Zoé Berg']));
  await max.getByRole('button', { name: 'Edit' }).waitFor();
  await max.getByRole('button', { name: 'Delete' }).waitFor();
  await customLink(max, NAME).waitFor();
  // It is Max's own: listed under "By me", not under "By others".
  await custom(max).getByRole('button', { name: 'By others' }).click();
  await customLink(max, NAME).waitFor({ state: 'detached' });
  await custom(max).getByRole('button', { name: 'By me' }).click();
  await customLink(max, NAME).waitFor();
  // Edit shows what was saved.
  await max.getByRole('button', { name: 'Edit' }).click();
  const edit = max.getByRole('dialog', { name: 'Edit custom inbox' });
  assert.equal(await edit.getByRole('textbox', { name: 'Name', exact: true }).inputValue(), NAME);
  assert.equal(await edit.getByRole('textbox', { name: 'Contains' }).inputValue(), 'berg');
  assert.equal(await edit.getByRole('checkbox', { name: 'Aaron Diallo' }).isChecked(), true);
  await edit.getByRole('button', { name: 'Cancel' }).click();
  await edit.waitFor({ state: 'detached' });

  // Léa was not given it.
  const lea = await signIn(env.browser, env.server.base, 'lea@parley.test');
  await custom(lea).getByText('No custom inbox yet.').waitFor();
  assert.equal(await customLink(lea, NAME).count(), 0);

  // Aaron sees it under "By others" (not "By me"), with its creator's name.
  const aaron = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  await customLink(aaron, NAME).waitFor();
  await custom(aaron).getByRole('button', { name: 'By me' }).click();
  await customLink(aaron, NAME).waitFor({ state: 'detached' });
  await custom(aaron).getByRole('button', { name: 'By others' }).click();
  await customLink(aaron, NAME).click();
  await eventually(async () => assert.deepEqual(await names(aaron), ['Fatou Berg', 'Zoé Berg']));
  await aaron.getByText('Created by Max').waitFor();
  const banner = aaron.getByRole('status').filter({ hasText: /^Last updated/ });
  assert.equal(await banner.innerText(), 'Last updated just now');
  // Not his to change.
  assert.equal(await aaron.getByRole('button', { name: 'Edit' }).count(), 0);
  assert.equal(await aaron.getByRole('button', { name: 'Delete' }).count(), 0);

  // The banner ages with the (server) clock.
  await setClock(env.server, 2 * 60_000);
  await eventually(async () => assert.equal(await banner.innerText(), 'Last updated 2 min ago'));

  // Farid Berg writes again: a new open conversation that matches. The live side panel
  // shows it arrived (Support's dot), but the custom inbox does not move by itself.
  await env.server.inbound('k-006', 'ch-sms', 'Hello, Farid again');
  await eventually(async () => assert.equal(await newCount(aaron, 'Support'), 1));
  assert.deepEqual(await names(aaron), ['Fatou Berg', 'Zoé Berg']);

  // Refresh computes it again.
  await aaron.getByRole('button', { name: 'Refresh' }).click();
  await eventually(async () => assert.deepEqual(await names(aaron), ['Farid Berg', 'Fatou Berg', 'Zoé Berg']));
  await eventually(async () => assert.equal(await banner.innerText(), 'Last updated just now'));
  // Newest first.
  const first = list(aaron).getByRole('link').first();
  assert.match(await linkName(first), /^Farid Berg/);

  // A conversation opens from the custom inbox, which stays beside it.
  await first.click();
  await aaron.getByRole('region', { name: 'Conversation with Farid Berg' }).waitFor();
  assert.match(aaron.url(), /\/custom\/[^/]+\/c\//);
  await list(aaron).waitFor();
});

test('a tag filter lists only the conversations of contacts with that tag', async () => {
  const max = await signIn(env.browser, env.server.base, 'max@parley.test');
  const vip = 'VIP contacts';
  const vipList = max.getByRole('list', { name: vip, exact: true });
  const vipNames = async () =>
    (await linkNames(vipList))
      .map((label) => label.split(',')[0])
      .sort();

  await custom(max).getByRole('button', { name: 'New custom inbox' }).click();
  const dialog = max.getByRole('dialog', { name: 'New custom inbox' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(vip);
  await dialog.getByRole('textbox', { name: 'Tag', exact: true }).fill(' VIP ');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  // The demo tags Alice Martin, Elena Dubois and Vera Méndez "vip" (Vera's conversation
  // is closed, and the view keeps open ones); Jonas Novak is "billing" only.
  await eventually(async () => assert.deepEqual(await vipNames(), ['Alice Martin', 'Elena Dubois']));
  await max.getByRole('button', { name: 'Edit' }).click();
  const edit = max.getByRole('dialog', { name: 'Edit custom inbox' });
  assert.equal(await edit.getByRole('textbox', { name: 'Tag', exact: true }).inputValue(), 'vip');
  await edit.getByRole('button', { name: 'Cancel' }).click();
  await edit.waitFor({ state: 'detached' });

  // Tagging Rosa Costa in the sidebar puts her in the view at the next refresh.
  await inboxLink(max, 'All').click();
  const all = max.getByRole('list', { name: 'All', exact: true });
  await all.getByRole('link', { name: /^Rosa Costa/ }).click();
  const sidebar = max.getByRole('complementary', { name: 'Contact details' });
  await sidebar.getByRole('button', { name: 'Edit contact' }).click();
  const form = sidebar.getByRole('form', { name: 'Edit contact' });
  await form.getByLabel('Tags').fill('vip');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.waitFor({ state: 'detached' });
  await customLink(max, vip).click();
  await max.getByRole('button', { name: 'Refresh' }).click();
  await eventually(async () => assert.deepEqual(await vipNames(), ['Alice Martin', 'Elena Dubois', 'Rosa Costa']));

  // Delete asks first; Cancel keeps it and gives the focus back to Delete.
  const remove = max.getByRole('button', { name: 'Delete', exact: true });
  await remove.click();
  const confirm = max.getByRole('dialog', { name: 'Delete custom inbox' });
  await confirm.getByText(/It disappears for everyone it is shared with/).waitFor();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'detached' });
  assert.ok(await focused(remove), 'the focus returns to Delete');
  await customLink(max, vip).waitFor();
  await remove.click();
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await customLink(max, vip).waitFor({ state: 'detached' });
  await max.waitForURL((url) => !url.pathname.startsWith('/custom/'));
});

test('a custom inbox past one page shows more on demand, and the focus moves to the first added', async () => {
  const res = await fetch(`${env.server.base}/api/v1/simulator/bulk-inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ count: 250 }),
  });
  assert.deepEqual(await res.json(), { created: 250 });
  const max = await signIn(env.browser, env.server.base, 'max@parley.test');
  const name = 'Web visitors';
  await custom(max).getByRole('button', { name: 'New custom inbox' }).click();
  const dialog = max.getByRole('dialog', { name: 'New custom inbox' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await dialog.getByRole('combobox', { name: 'Contact field' }).selectOption('name');
  await dialog.getByRole('textbox', { name: 'Contains' }).fill('Visitor');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });

  const items = max.getByRole('list', { name, exact: true });
  const links = items.getByRole('link');
  await eventually(async () => assert.equal(await links.count(), 200));
  await max.getByText('200 conversations shown, the newest first; more match').waitFor();
  await max.getByRole('button', { name: 'Show more' }).click();
  await eventually(async () => assert.equal(await links.count(), 250));
  await max.getByText('250 conversations', { exact: true }).waitFor();
  assert.equal(await max.getByRole('button', { name: 'Show more' }).count(), 0);
  await eventually(async () => assert.ok(await focused(links.nth(200)), 'the first added conversation has the focus'));
  // Every visitor once: the pages neither overlap nor leave a gap.
  const labels = (await linkNames(items)).map((label) => label.split(',')[0]);
  assert.equal(new Set(labels).size, 250);
});

test('a last-activity range: an empty one is refused in words; quiet conversations appear once they are quiet', async () => {
  const max = await signIn(env.browser, env.server.base, 'max@parley.test');
  const name = 'Quiet for three days';
  await custom(max).getByRole('button', { name: 'New custom inbox' }).click();
  const dialog = max.getByRole('dialog', { name: 'New custom inbox' });
  await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  // Alice Martin's conversation (the bulk visitors of the test before would fill a page).
  await dialog.getByRole('combobox', { name: 'Contact field' }).selectOption('name');
  await dialog.getByRole('textbox', { name: 'Contains' }).fill('Alice');
  await dialog.getByRole('spinbutton', { name: 'No activity for (days)' }).fill('3');
  await dialog.getByRole('spinbutton', { name: 'Last activity within (days)' }).fill('2');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.getByRole('alert').filter({ hasText: 'at least 3 days ago and within 2 days cannot both hold' }).waitFor();
  await dialog.getByRole('spinbutton', { name: 'Last activity within (days)' }).fill('10');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.waitFor({ state: 'detached' });
  // Her conversation moved in the last day.
  await max.getByText('No conversation matches this custom inbox.').waitFor();

  // Four days later it is quiet (and still within ten days).
  await setClock(env.server, 4 * 24 * 60 * 60_000);
  await max.getByRole('button', { name: 'Refresh' }).click();
  const items = max.getByRole('list', { name, exact: true });
  const links = items.getByRole('link');
  await links.filter({ hasText: 'Alice Martin' }).waitFor();
});
