// Internal notes: written in the composer's note mode, seen by the team (never sent to
// the contact), edited and deleted by their author only.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { eventually, focused, linkName, openConversation, signIn, timeline, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

test('a note is the team\'s: others see it live, only its author edits or deletes it', async () => {
  // Chloé Farouk (k-003) is Aaron's contact; Max, a manager, sees it in All.
  const aaron = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  const max = await signIn(env.browser, env.server.base, 'max@parley.test');
  const aaronView = await openConversation(aaron, 'Mine', 'Chloé Farouk');
  const maxView = await openConversation(max, 'All', 'Chloé Farouk');

  const mode = aaronView.getByRole('button', { name: 'Internal note' });
  assert.equal(await mode.getAttribute('aria-pressed'), 'false');
  await mode.click();
  assert.equal(await mode.getAttribute('aria-pressed'), 'true');
  const composer = aaronView.getByRole('textbox', { name: 'Message' });
  assert.match(await composer.getAttribute('placeholder'), /note/i);
  await eventually(async () => assert.ok(await focused(composer)));
  await composer.fill('Customer is a VIP');
  await composer.press('Enter');
  await eventually(async () => assert.equal(await composer.inputValue(), ''));

  const note = (view, text) => timeline(view).getByRole('listitem').filter({ hasText: text });
  for (const view of [aaronView, maxView]) {
    await note(view, 'Customer is a VIP').waitFor();
    const text = await note(view, 'Customer is a VIP').innerText();
    assert.match(text, /Internal note/);
    assert.match(text, /Aaron Diallo/);
  }
  assert.equal(await note(aaronView, 'Customer is a VIP').count(), 1);
  // Not a message: the list's preview of the conversation does not show it.
  const maxItem = max.getByRole('list', { name: 'All', exact: true }).getByRole('link', { name: /^Chloé Farouk/ });
  assert.doesNotMatch(await linkName(maxItem), /VIP/);
  // Only the author may change it.
  assert.equal(await note(maxView, 'Customer is a VIP').getByRole('button').count(), 0);

  await note(aaronView, 'Customer is a VIP').getByRole('button', { name: 'Edit note' }).click();
  const edit = aaronView.getByRole('textbox', { name: 'Edit note' });
  await eventually(async () => assert.ok(await focused(edit)));
  assert.equal(await edit.inputValue(), 'Customer is a VIP');
  await edit.fill('Customer is a VIP (gold tier)');
  await aaronView.getByRole('button', { name: 'Save' }).click();
  for (const view of [aaronView, maxView]) {
    await note(view, 'Customer is a VIP (gold tier)').waitFor();
  }

  await note(aaronView, 'gold tier').getByRole('button', { name: 'Delete note' }).click();
  for (const view of [aaronView, maxView]) {
    await eventually(async () => assert.equal(await note(view, 'gold tier').count(), 0));
  }
  await aaron.context().close();
  await max.context().close();
});

test('notes can be added to a closed conversation, where replies cannot', async () => {
  const page = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  const view = await openConversation(page, 'Mine', 'Dmitri Weber');
  await view.getByRole('button', { name: 'Close conversation' }).click();
  const dialog = page.getByRole('dialog', { name: 'Close conversation' });
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  const composer = view.getByRole('textbox', { name: 'Message' });
  await eventually(async () => assert.ok(await composer.isDisabled()));
  await view.getByRole('button', { name: 'Internal note' }).click();
  assert.ok(await composer.isEnabled());
  await composer.fill('Closed after the phone call');
  await composer.press('Enter');
  await timeline(view).getByRole('listitem').filter({ hasText: 'Closed after the phone call' }).waitFor();
  await page.context().close();
});
