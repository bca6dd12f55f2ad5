// The tablists (incoming calls, Chats / Calls): arrow keys, Home and End move the
// selection and the focus, the selected tab is the only Tab stop, the panel is named by
// its tab, and a count changing in a focused tab's name leaves the focus where it is.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { eventually, focused, signIn, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

test('tabs move with the keyboard, name their panel and keep focus while counts change', async () => {
  const aaron = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  const show = aaron.getByRole('tablist', { name: 'Show' });
  const chats = show.getByRole('tab', { name: 'Chats' });
  const calls = show.getByRole('tab', { name: 'Calls' });
  await chats.waitFor();
  assert.equal(await chats.getAttribute('tabindex'), '0');
  assert.equal(await calls.getAttribute('tabindex'), '-1');

  await chats.focus();
  await aaron.keyboard.press('ArrowRight');
  await eventually(async () => assert.equal(await calls.getAttribute('aria-selected'), 'true'));
  assert.ok(await focused(calls), 'the focus follows the selection');
  assert.equal(await calls.getAttribute('tabindex'), '0');
  await aaron.getByRole('tabpanel', { name: 'Calls' }).getByText('No calls yet.').waitFor();
  await aaron.keyboard.press('ArrowRight');
  await eventually(async () => assert.equal(await chats.getAttribute('aria-selected'), 'true'));
  assert.ok(await focused(chats), 'the selection wraps around');
  assert.equal(await aaron.getByRole('tabpanel', { name: 'Chats' }).count(), 1);

  // Incoming calls: End selects the last tab; a call arriving changes its count, not the focus.
  const section = aaron.getByRole('region', { name: 'Incoming calls' });
  const all = section.getByRole('tab', { name: /^All/ });
  await all.focus();
  await aaron.keyboard.press('End');
  const unassigned = section.getByRole('tab', { name: /^Unassigned/ });
  await eventually(async () => assert.equal(await unassigned.getAttribute('aria-selected'), 'true'));
  assert.ok(await focused(unassigned));
  assert.equal(await section.getByRole('tabpanel', { name: /^Unassigned/ }).count(), 1);
  const res = await fetch(`${env.server.base}/api/v1/simulator/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contact: 'k-001', action: 'ring' }),
  });
  assert.equal(res.status, 200, await res.text());
  await section.getByRole('tab', { name: 'Unassigned 1' }).waitFor();
  assert.ok(await focused(unassigned), 'the focused tab keeps the focus when its count changes');
  await aaron.keyboard.press('Home');
  await eventually(async () => assert.equal(await all.getAttribute('aria-selected'), 'true'));
  assert.ok(await focused(all));
});
