// Calls: an incoming call rings for exactly the users who may see the contact and handle
// calls, with the WhatsApp number masked; accepting claims the contact and shows the
// call card whose timer runs; the other agent's ringing stops; Record and End; the call
// log and the contact's Call activities; calling out from the sidebar.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { apiAs, eventually, openConversation, setClock, signIn, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

const simulateCall = (contact, action) => env.server.call(contact, action);

const callsSection = (page) => page.getByRole('region', { name: 'Incoming calls' });
const ringing = (page) => callsSection(page).getByRole('list', { name: 'Ringing calls' });
const acceptButton = (page, who) => page.getByRole('button', { name: `Accept call from ${who}` });

let aaron;
let lea;

test('an incoming call rings for the right users, with the number masked', async () => {
  aaron = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  lea = await signIn(env.browser, env.server.base, 'lea@parley.test');
  const sam = await signIn(env.browser, env.server.base, 'sam@parley.test');
  const nina = await signIn(env.browser, env.server.base, 'nina@parley.test');

  // Nothing rings yet: each tab says so.
  await callsSection(aaron).getByText('No incoming calls.').waitFor();
  await callsSection(aaron).getByRole('tab', { name: /^Unassigned/ }).click();
  await callsSection(aaron).getByText('No calls from unassigned contacts.').waitFor();

  // Alice Martin (k-001) is unassigned and calls on WhatsApp.
  await simulateCall('k-001', 'ring');
  const entry = ringing(aaron).getByRole('listitem').filter({ hasText: 'Alice Martin' });
  await entry.waitFor();
  assert.match(await entry.innerText(), /\+33 6•• ••• •93/);
  assert.doesNotMatch(await entry.innerText(), /51 29 60/);
  assert.match(await entry.innerText(), /Unassigned/);
  await callsSection(aaron).getByRole('tab', { name: /^Assigned to me/ }).click();
  await callsSection(aaron).getByText('No calls for your contacts.').waitFor();
  await callsSection(aaron).getByRole('tab', { name: /^All/ }).click();
  await acceptButton(lea, 'Alice Martin').waitFor();

  // Sam sees only his own contacts, so only the "Assigned to me" tab, and not Alice.
  const samTabs = callsSection(sam).getByRole('tab');
  assert.deepEqual(await samTabs.allInnerTexts(), ['Assigned to me 0']);
  // Hugo Roux (k-008) is Sam's contact: his call reaches Sam.
  await simulateCall('k-008', 'ring');
  await acceptButton(sam, 'Hugo Roux').waitFor();
  assert.equal(await acceptButton(sam, 'Alice Martin').count(), 0);
  await simulateCall('k-008', 'hangup');
  await eventually(async () => assert.equal(await acceptButton(sam, 'Hugo Roux').count(), 0));

  // Nina has no call access: no calls section at all, and no Calls tab.
  assert.equal(await callsSection(nina).count(), 0);
  assert.equal(await nina.getByRole('tab', { name: 'Calls' }).count(), 0);
  await sam.context().close();
  await nina.context().close();
});

test('accepting claims the contact, stops the ringing elsewhere, and the timer runs', async () => {
  await acceptButton(aaron, 'Alice Martin').click();
  const card = aaron.getByRole('region', { name: 'Active call' });
  await card.waitFor();
  assert.match(await card.innerText(), /Alice Martin/);
  // Lea's ringing stops at once.
  await eventually(async () => assert.equal(await acceptButton(lea, 'Alice Martin').count(), 0));
  // The unassigned contact is now Aaron's.
  const api = await apiAs(env.server, 'aaron@parley.test');
  assert.equal((await api('/contacts/k-001')).assignee, 'u-aaron');
  // The timer runs: it starts under a minute and, a minute and a half later, shows it.
  const timer = card.getByRole('timer', { name: 'Call duration' });
  assert.match(await timer.innerText(), /^0:0\d$/);
  await setClock(env.server, 90_000);
  await eventually(async () => assert.match(await timer.innerText(), /^1:3\d$/));
});

test('Record and End, then the call is in the log and in Call activities', async () => {
  const card = aaron.getByRole('region', { name: 'Active call' });
  const record = card.getByRole('button', { name: 'Record' });
  assert.equal(await record.getAttribute('aria-pressed'), 'false');
  await record.click();
  await eventually(async () => assert.equal(await record.getAttribute('aria-pressed'), 'true'));
  await card.getByRole('status').filter({ hasText: 'Recording' }).waitFor();
  await record.click();
  await eventually(async () => assert.equal(await record.getAttribute('aria-pressed'), 'false'));
  await card.getByRole('button', { name: 'End call' }).click();
  await card.waitFor({ state: 'detached' });

  // The Calls tab of Mine shows it with its direction, state and length.
  await aaron.getByRole('navigation', { name: 'Inboxes' }).getByRole('link', { name: /^Mine, / }).click();
  await aaron.getByRole('tab', { name: 'Calls' }).click();
  const log = aaron.getByRole('list', { name: 'Call log' });
  const row = log.getByRole('listitem').filter({ hasText: 'Alice Martin' }).first();
  await row.waitFor();
  assert.match(await row.innerText(), /Incoming call, Completed, 1:3\d/);
  await aaron.getByRole('tab', { name: 'Chats' }).click();

  // Her conversation's sidebar lists it under Call activities; the timeline tells it too.
  const view = await openConversation(aaron, 'Mine', 'Alice Martin');
  const sidebar = aaron.getByRole('complementary', { name: 'Contact details' });
  await sidebar.getByRole('tab', { name: 'Call activities' }).click();
  const activities = sidebar.getByRole('list', { name: 'Call activities' });
  await activities.getByText(/Incoming call, Completed, 1:3\d/).waitFor();
  await view.getByText('Incoming call answered by Aaron').first().waitFor();
  await view.getByText(/Incoming call ended \(1:3\d\)/).waitFor();
});

test('calling out from the sidebar starts a call the contact can hang up', async () => {
  const sidebar = aaron.getByRole('complementary', { name: 'Contact details' });
  await sidebar.getByRole('button', { name: 'Call contact' }).click();
  const card = aaron.getByRole('region', { name: 'Active call' });
  await card.waitFor();
  assert.match(await card.innerText(), /Alice Martin/);
  // She hangs up: the card goes, and the call is logged as an outgoing one.
  await simulateCall('k-001', 'hangup');
  await card.waitFor({ state: 'detached' });
  await sidebar.getByRole('list', { name: 'Call activities' }).getByText(/^Outgoing call, Completed/).waitFor();
});
