// The SLA clock on list items: grey while the team has time, orange near the target,
// red once overdue (with how long), following the server's clock.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { apiAs, eventually, inboxLink, setClock, signIn, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

test('a conversation awaiting a reply shows a clock that turns orange, then red', async () => {
  const page = await signIn(env.browser, env.server.base, 'max@parley.test');
  await inboxLink(page, 'All').click();
  const list = page.getByRole('list', { name: 'All', exact: true });
  await list.waitFor();

  // Alice Martin (k-001, unassigned) writes in: the team owes her a reply from now.
  const { conversation } = await env.server.inbound('k-001', 'ch-whatsapp', 'Is anyone there?');
  const get = await apiAs(env.server, 'max@parley.test');
  const { workspace } = await get('/me');
  const { conversation: summary } = await get(`/conversations/${conversation}`);
  assert.ok(summary.sla.awaiting_since, 'the conversation awaits the team');
  const targets = workspace.sla ?? { first_response_minutes: 15, next_response_minutes: 60 };
  const target = summary.sla.replied_before ? targets.next_response_minutes : targets.first_response_minutes;

  const item = list.getByRole('listitem').filter({ has: page.getByRole('link', { name: /^Alice Martin/ }) });
  const icon = item.getByRole('img', { name: /^SLA: / });
  const level = async () => (await icon.getAttribute('class')).match(/sla-icon--(\w+)/)[1];
  await eventually(async () => {
    assert.match(await icon.getAttribute('aria-label'), / left$/);
    assert.equal(await level(), 'grey');
  });

  try {
    await setClock(env.server, (target - 3) * 60_000);
    await eventually(async () => {
      assert.equal(await icon.getAttribute('aria-label'), 'SLA: due in 3 min');
      assert.equal(await level(), 'orange');
    });
    await setClock(env.server, (target + 5) * 60_000);
    await eventually(async () => {
      assert.equal(await icon.getAttribute('aria-label'), 'SLA: overdue by 5 min');
      assert.equal(await level(), 'red');
    });
  } finally {
    await setClock(env.server, 0);
  }

  // A reply settles it: no clock any more.
  await list.getByRole('link', { name: /^Alice Martin/ }).click();
  const composer = page.getByRole('textbox', { name: 'Message' });
  await composer.fill('Yes, how can I help?');
  await composer.press('Enter');
  await eventually(async () => assert.equal(await icon.count(), 0));
  await page.context().close();
});
