// Closing reasons (issue 14, item 6): a manager keeps the list on its settings page
// (validated in words); an agent's close dialog offers it, fetched when the dialog opens,
// and the timeline shows the chosen reason. Agents without the permission get no link
// and a 403.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { checkA11y, eventually, openConversation, signIn, timeline, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

test('a manager adds a reason; an agent closes a conversation with it; the timeline shows it', async () => {
  // The agent's conversation is open before the reason exists: the dialog fetches the list.
  const aaron = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  const view = await openConversation(aaron, 'Mine', 'Dmitri Weber');
  assert.equal(await aaron.getByRole('link', { name: 'Closing reasons' }).count(), 0, 'agents get no link');

  const max = await signIn(env.browser, env.server.base, 'max@parley.test');
  await max.getByRole('link', { name: 'Closing reasons' }).click();
  await max.getByRole('heading', { name: 'Closing reasons', level: 1 }).waitFor();
  const reasons = max.getByRole('list', { name: 'Closing reasons' });
  await reasons.getByRole('listitem').filter({ hasText: 'No response' }).waitFor();
  await checkA11y(max, 'closing reasons settings');

  // Validation, in words, before anything is sent.
  const name = max.getByLabel('New closing reason');
  const add = max.getByRole('button', { name: 'Add reason' });
  await name.fill(' spam ');
  await add.click();
  await eventually(async () => assert.equal(await max.getByRole('alert').innerText(), 'The list already has “Spam”.'));
  await name.fill('x'.repeat(81));
  await add.click();
  await eventually(async () =>
    assert.equal(await max.getByRole('alert').innerText(), 'A closing reason has at most 80 characters.'));
  await name.fill('Refund issued');
  await add.click();
  await reasons.getByRole('listitem').filter({ hasText: 'Refund issued' }).waitFor();
  assert.equal(await name.inputValue(), '');
  assert.equal(await max.getByRole('alert').count(), 0);

  // Rename one in place (the field takes the focus); Escape-free: Save.
  await reasons.getByRole('button', { name: 'Edit Duplicate' }).click();
  const rename = reasons.getByRole('textbox', { name: 'New name for Duplicate' });
  await eventually(async () => assert.ok(await rename.evaluate((el) => el === document.activeElement)));
  await rename.fill('Already handled');
  await reasons.getByRole('button', { name: 'Save' }).click();
  await reasons.getByRole('listitem').filter({ hasText: 'Already handled' }).waitFor();
  // Delete one.
  await reasons.getByRole('button', { name: 'Delete Spam' }).click();
  await eventually(async () => assert.equal(await reasons.getByRole('listitem').filter({ hasText: 'Spam' }).count(), 0));

  // The agent's dialog offers the list as it is now, without a reload.
  await view.getByRole('button', { name: 'Close conversation' }).click();
  const dialog = aaron.getByRole('dialog', { name: 'Close conversation' });
  const select = dialog.getByLabel('Reason');
  await eventually(async () => assert.deepEqual(await select.locator('option').allInnerTexts(),
    ['None', 'Resolved', 'Already handled', 'No response', 'Refund issued']));
  await select.selectOption({ label: 'Refund issued' });
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await timeline(view)
    .getByRole('listitem')
    .filter({ hasText: 'Aaron Diallo closed the conversation. Reason: Refund issued' })
    .waitFor();

  // Without the permission, the API refuses.
  const token = await aaron.evaluate(() => localStorage.getItem('parley.token'));
  const res = await fetch(`${env.server.base}/api/v1/closing-reasons`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ name: 'Mine' }),
  });
  assert.equal(res.status, 403);
  await aaron.context().close();
  await max.context().close();
});
