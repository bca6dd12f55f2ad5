// Blocking: the blocked contacts' inbox shows only to users with the permission and only
// while someone is blocked; blocking moves a contact's conversation out of All (and its
// count) into it, unblocking brings it back.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { eventually, inboxLink, inboxName, inboxes, linkName, openConversation, signIn, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

const openCount = async (page, name) => Number((await inboxName(page, name)).match(/, (\d+) open/)[1]);
const blockedLink = (page) => inboxes(page).getByRole('link', { name: /^Blocked contacts, / });

test('blocking makes the blocked inbox appear and takes the conversation out of All', async () => {
  const max = await signIn(env.browser, env.server.base, 'max@parley.test');
  const aaron = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  // The fixture blocks Nadia Benali (closed conversation): the inbox shows, with 0 open.
  await blockedLink(max).waitFor();
  assert.match(await linkName(blockedLink(max)), /^Blocked contacts, 0 open$/);
  // Aaron lacks the permission: no blocked inbox, ever.
  assert.equal(await blockedLink(aaron).count(), 0);

  // Unblocking the only blocked contact: the inbox goes.
  // Her conversation is closed: the list shows it under the Closed filter.
  await max.goto(`${env.server.base}/inbox/blocked?status=closed`);
  await max.getByRole('list', { name: 'Blocked contacts', exact: true }).getByRole('link', { name: /^Nadia Benali/ }).click();
  const sidebar = max.getByRole('complementary', { name: 'Contact details' });
  await sidebar.getByRole('button', { name: 'Unblock contact' }).click();
  await blockedLink(max).waitFor({ state: 'detached' });

  // Blocking Alice Martin (open, unassigned): out of All and its count, into Blocked.
  const before = await openCount(max, 'All');
  const aaronBefore = await openCount(aaron, 'All');
  await max.goto(`${env.server.base}/inbox/all`);
  await openConversation(max, 'All', 'Alice Martin');
  await sidebar.getByRole('button', { name: 'Block contact' }).click();
  await sidebar.getByText('Blocked', { exact: true }).waitFor();
  await eventually(async () => assert.equal(await openCount(max, 'All'), before - 1));
  await eventually(async () => assert.equal(await openCount(aaron, 'All'), aaronBefore - 1));
  const all = max.getByRole('list', { name: 'All', exact: true });
  await eventually(async () => assert.equal(await all.getByRole('link', { name: /^Alice Martin/ }).count(), 0));
  await eventually(async () =>
    assert.match(await linkName(blockedLink(max)), /^Blocked contacts, 1 open$/));
  assert.equal(await blockedLink(aaron).count(), 0);
  await blockedLink(max).click();
  await max.getByRole('list', { name: 'Blocked contacts', exact: true }).getByRole('link', { name: /^Alice Martin/ }).waitFor();

  // Unblocking brings her back.
  await max.getByRole('list', { name: 'Blocked contacts', exact: true }).getByRole('link', { name: /^Alice Martin/ }).click();
  await sidebar.getByRole('button', { name: 'Unblock contact' }).click();
  await eventually(async () => assert.equal(await openCount(max, 'All'), before));
  await blockedLink(max).waitFor({ state: 'detached' });
});
