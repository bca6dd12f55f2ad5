// Assigning from the conversation list: each item has its own assignee picker (search
// users; assign, reassign, unassign) without opening the conversation.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { apiAs, eventually, inboxLink, signIn, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

test('assign, reassign and unassign from a list item, by mouse and keyboard', async () => {
  const max = await signIn(env.browser, env.server.base, 'max@parley.test');
  await inboxLink(max, 'All').click();
  const list = max.getByRole('list', { name: 'All', exact: true });
  const item = list.getByRole('listitem').filter({ has: max.getByRole('link', { name: /^Alice Martin,/ }) });
  await item.hover();
  const picker = item.getByRole('button', { name: 'Assignee of Alice Martin: Unassigned' });
  await picker.click();
  await max.getByRole('combobox', { name: 'Search users' }).fill('lea');
  await max.getByRole('listbox', { name: 'Users' }).getByRole('option', { name: /Léa Moreau/ }).click();
  await list.getByRole('link', { name: /^Alice Martin, .*assigned to Léa Moreau/ }).waitFor();
  const api = await apiAs(env.server, 'max@parley.test');
  assert.equal((await api('/contacts/k-001')).assignee, 'u-lea');

  // Reassign by keyboard: the button opens with ↓, the search narrows, Enter picks.
  const reassign = item.getByRole('button', { name: 'Assignee of Alice Martin: Léa Moreau' });
  await reassign.focus();
  await max.keyboard.press('ArrowDown');
  await max.getByRole('combobox', { name: 'Search users' }).fill('aaron');
  await max.keyboard.press('Enter');
  await eventually(async () => assert.equal((await api('/contacts/k-001')).assignee, 'u-aaron'));
  await list.getByRole('link', { name: /^Alice Martin, .*assigned to Aaron Diallo/ }).waitFor();

  // Unassign.
  await item.hover();
  await item.getByRole('button', { name: 'Assignee of Alice Martin: Aaron Diallo' }).click();
  await max.getByRole('listbox', { name: 'Users' }).getByRole('option', { name: /^Unassigned/ }).click();
  await eventually(async () => assert.equal((await api('/contacts/k-001')).assignee, null));
  await list.getByRole('link', { name: /^Alice Martin, WhatsApp(?!.*assigned to)/ }).waitFor();
});
