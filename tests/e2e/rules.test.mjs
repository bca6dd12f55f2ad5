// Workflow rules (issue 15, item 3): an owner sets the business hours and creates, on
// /settings/rules, "a conversation opens, on WhatsApp, outside business hours → assign to
// the team Sales, add the tag after-hours"; then a new WhatsApp sender writes in through the
// simulator and the conversation it opens is the team's and tagged. The rule is switched
// off and on and moved by keyboard; axe checks the page. Agents get no link.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { apiAs, checkA11y, eventually, focused, setClock, signIn, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

/** Sunday 4 January 2026, 12:00 UTC (13:00 in Paris): outside Monday-to-Friday hours. */
const SUNDAY_NOON = Date.UTC(2026, 0, 4, 12, 0);

test('an owner creates a rule; an inbound WhatsApp message outside business hours goes to Sales, tagged', async () => {
  await setClock(env.server, SUNDAY_NOON - Date.now());
  const agent = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  assert.equal(await agent.getByRole('link', { name: 'Workflow rules' }).count(), 0, 'agents get no link');
  await agent.close();

  const page = await signIn(env.browser, env.server.base, 'olivia@parley.test');
  await page.getByRole('link', { name: 'Workflow rules' }).click();
  await page.getByRole('heading', { level: 1, name: 'Workflow rules' }).waitFor();
  const list = page.getByRole('list', { name: 'Workflow rules' });
  await list.getByRole('switch', { name: 'Run “Assign new conversations to available agents”' }).waitFor();
  await checkA11y(page, 'the rules page');

  // Business hours: Monday to Friday, 09:00 to 17:00 in Paris.
  const hours = page.getByRole('form', { name: 'Business hours' });
  await hours.getByRole('textbox', { name: 'Time zone (such as Europe/Paris)' }).fill('Europe/Paris');
  for (const day of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
    await hours.getByLabel(`${day} opens`).fill('09:00');
    await hours.getByLabel(`${day} closes`).fill('17:00');
  }
  await hours.getByRole('button', { name: 'Save business hours' }).click();
  await page.getByRole('status').filter({ hasText: 'Business hours saved.' }).waitFor();

  // The rule, built with the pickers.
  await page.getByRole('button', { name: 'New rule' }).click();
  const form = page.getByRole('form', { name: 'New rule' });
  await form.getByRole('textbox', { name: 'Name' }).fill('After hours on WhatsApp');
  await form.getByRole('combobox', { name: 'Trigger' }).selectOption({ label: 'A conversation opens' });
  const conditions = form.getByRole('group', { name: 'Conditions' });
  await conditions.getByRole('combobox', { name: 'Condition' }).selectOption({ label: 'Channel is' });
  await conditions.getByRole('combobox', { name: 'Value' }).selectOption({ label: 'WhatsApp' });
  await conditions.getByRole('button', { name: 'Add condition' }).click();
  await conditions.getByRole('combobox', { name: 'Condition' }).selectOption({ label: 'Outside business hours' });
  await conditions.getByRole('button', { name: 'Add condition' }).click();
  await conditions.getByRole('listitem').filter({ hasText: 'channel is WhatsApp' }).waitFor();
  await conditions.getByRole('listitem').filter({ hasText: 'outside business hours' }).waitFor();
  const actions = form.getByRole('group', { name: 'Actions' });
  await actions.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'Assign to a team' });
  await actions.getByRole('combobox', { name: 'Value' }).selectOption({ label: 'Sales' });
  await actions.getByRole('button', { name: 'Add action' }).click();
  await actions.getByRole('combobox', { name: 'Action' }).selectOption({ label: 'Add tag' });
  await actions.getByRole('textbox', { name: 'Value' }).fill('after-hours');
  await actions.getByRole('button', { name: 'Add action' }).click();
  await actions.getByRole('listitem').filter({ hasText: 'assign to the team Sales' }).waitFor();
  await checkA11y(page, 'the rule form');
  await form.getByRole('button', { name: 'Save rule' }).click();
  await page.getByRole('status').filter({ hasText: 'Rule “After hours on WhatsApp” saved, on.' }).waitFor();
  const mine = list.getByRole('switch', { name: 'Run “After hours on WhatsApp”' });
  await mine.waitFor();
  assert.ok(await mine.isChecked());

  // A new sender writes in on WhatsApp: the conversation is Sales', the contact tagged.
  const res = await fetch(`${env.server.base}/api/v1/simulator/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from: { channel: 'ch-whatsapp', address: '+33 6 55 44 33 22', name: 'Night Owl' }, text: 'Anyone there?' }),
  });
  assert.equal(res.status, 201, await res.clone().text());
  const { conversation } = await res.json();
  const api = await apiAs(env.server, 'olivia@parley.test');
  const detail = await api(`/conversations/${conversation}`);
  assert.equal(detail.conversation.assigned_team, 't-sales');
  assert.deepEqual(detail.contact.tags, ['after-hours']);
  const lines = detail.activities.filter((a) => a.kind === 'rule_applied');
  assert.deepEqual(lines.map((a) => [a.actor.name, a.action]),
    [['After hours on WhatsApp', { assign_team: 't-sales' }], ['After hours on WhatsApp', { add_tag: 'after-hours' }]]);

  // By keyboard: switch it off and on again, then move it up above the built-in ones.
  const enabledOf = async () => (await api('/rules')).find((r) => r.name === 'After hours on WhatsApp').enabled;
  await mine.focus();
  await page.keyboard.press('Space');
  await page.getByRole('status').filter({ hasText: 'Rule “After hours on WhatsApp” saved, off.' }).waitFor();
  await eventually(async () => assert.equal(await enabledOf(), false));
  await eventually(async () => assert.equal(await mine.isChecked(), false));
  await eventually(async () => assert.ok(await focused(mine), 'the focus stays on the switch'));
  await page.keyboard.press('Space');
  await page.getByRole('status').filter({ hasText: 'Rule “After hours on WhatsApp” saved, on.' }).waitFor();
  await eventually(async () => assert.equal(await enabledOf(), true));
  // As an agent would: once the switch shows on again (the list is drawn anew, and the
  // focus comes back to the switch), go to Move up.
  await eventually(async () => assert.ok(await mine.isChecked()));
  await eventually(async () => assert.ok(await focused(mine), 'the focus stays on the switch'));

  const up = list.getByRole('button', { name: 'Move “After hours on WhatsApp” up' });
  await up.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('status').filter({ hasText: 'Order saved.' }).waitFor();
  await eventually(async () => assert.equal((await api('/rules'))[1].name, 'After hours on WhatsApp'));
  await eventually(async () => assert.ok(await focused(up), 'the focus stays on the moved rule'));
  await page.keyboard.press('Enter');
  await eventually(async () => assert.equal((await api('/rules'))[0].name, 'After hours on WhatsApp'));
  // At the top, Move up is disabled: the focus is on Move down.
  const down = list.getByRole('button', { name: 'Move “After hours on WhatsApp” down' });
  await eventually(async () => assert.ok(await focused(down)));
  assert.ok(await up.isDisabled());
  await checkA11y(page, 'the rules page, reordered');
  await setClock(env.server, 0);
});
