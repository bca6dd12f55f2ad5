// Assigning to a team (issue 14, item 4): the assignee picker finds a team by its name, and
// a member of that team (tess: team-restricted to Sales, in a second browser context) sees
// the conversation arrive in the Sales inbox and the Sales dot light.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  apiAs, checkA11y, eventually, inboxLink, linkNames, newCount, openConversation, signIn, useServerAndBrowser,
} from './helpers.mjs';

const env = useServerAndBrowser();
/** Alice Martin's open conversation's channel in the demo fixture. */
const CHANNEL = 'ch-whatsapp';

test('the picker finds a team by name, and the team member sees its dot and inbox', async () => {
  const tess = await signIn(env.browser, env.server.base, 'tess@parley.test');
  // Mine open, so that a new conversation in Sales lights Sales's dot.
  await inboxLink(tess, 'Mine').click();
  const salesBefore = await newCount(tess, 'Sales');
  await inboxLink(tess, 'Sales').click();
  const salesList = tess.getByRole('list', { name: 'Sales', exact: true });
  await salesList.waitFor();
  assert.ok(!(await linkNames(salesList)).some((n) => n.startsWith('Alice Martin')), 'not yet visible to tess');
  await inboxLink(tess, 'Mine').click();

  const max = await signIn(env.browser, env.server.base, 'max@parley.test');
  const view = await openConversation(max, 'Unassigned', 'Alice Martin');
  await view.getByRole('button', { name: 'Assignee: Unassigned' }).click();
  const search = max.getByRole('combobox', { name: 'Search users and teams' });
  await search.fill('sal');
  const options = max.getByRole('listbox', { name: 'Users and teams' }).getByRole('option');
  await eventually(async () => assert.deepEqual(await options.allInnerTexts(), ['Team: Sales']));
  await checkA11y(max, 'assignee picker offering a team');
  // By keyboard: the one option is active, Enter assigns.
  await max.keyboard.press('Enter');
  await view.getByRole('button', { name: 'Assignee: Team: Sales' }).waitFor();
  const api = await apiAs(env.server, 'max@parley.test');
  await eventually(async () => {
    const contact = await api('/contacts/k-001');
    assert.deepEqual([contact.assignee, contact.assigned_team], [null, 't-sales']);
  });
  // It left the Unassigned list max opened it from.
  const unassigned = max.getByRole('list', { name: 'Unassigned', exact: true });
  await eventually(async () => assert.ok(!(await linkNames(unassigned)).some((n) => n.startsWith('Alice Martin'))));

  // Alice writes in: for tess, the Sales dot lights (one more new conversation), then
  // the Sales list holds it.
  await env.server.inbound('k-001', CHANNEL, 'Is anyone from sales there?');
  await eventually(async () => assert.equal(await newCount(tess, 'Sales'), salesBefore + 1), 10_000);
  await inboxLink(tess, 'Sales').click();
  await salesList.getByRole('link', { name: /^Alice Martin, .*assigned to Team: Sales/ }).waitFor();
  await eventually(async () => assert.equal(await newCount(tess, 'Sales'), 0));
});
