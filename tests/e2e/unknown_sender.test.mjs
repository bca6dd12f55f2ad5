// Unknown senders (issue 14, item 3): a message from a phone no contact has on that
// channel makes a new unassigned contact whose conversation appears live in Unassigned;
// the contact with the same phone is offered as a merge suggestion.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { eventually, inboxLink, newCount, signIn, timeline, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

/** Someone writes in from an address, as a channel webhook would. */
async function writeFrom(channel, address, name, text) {
  const res = await fetch(`${env.server.base}/api/v1/simulator/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from: { channel, address, name }, text }),
  });
  const body = await res.text();
  assert.equal(res.status, 201, body);
  return JSON.parse(body);
}

test('an unknown sender becomes a contact and is offered as a merge suggestion', async () => {
  const page = await signIn(env.browser, env.server.base, 'max@parley.test');
  await inboxLink(page, 'Mine').click();
  const before = await newCount(page, 'Unassigned');

  // Alice Martin (k-001) has this phone on WhatsApp and SMS, not on Viber: on Viber it is
  // an address no contact has, so it becomes a new contact.
  await writeFrom('ch-viber', '+33 6 51 29 60 93', 'Alice on Viber', 'Hello from Viber');
  // Live: the new conversation lights Unassigned and is listed there.
  await eventually(async () => assert.equal(await newCount(page, 'Unassigned'), before + 1));
  await inboxLink(page, 'Unassigned').click();
  const list = page.getByRole('list', { name: 'Unassigned', exact: true });
  const row = list.getByRole('link', { name: /^Alice on Viber, Viber/ });
  await row.waitFor();

  // A second message from the same phone, written differently, joins the same conversation.
  await writeFrom('ch-viber', '+33651296093', undefined, 'Are you there?');
  await eventually(async () => assert.equal(await list.getByRole('link', { name: /^Alice on Viber/ }).count(), 1));

  await row.click();
  const view = page.getByRole('region', { name: 'Conversation with Alice on Viber' });
  await timeline(view).getByRole('listitem').filter({ hasText: 'Hello from Viber' }).waitFor();
  await timeline(view).getByRole('listitem').filter({ hasText: 'Are you there?' }).waitFor();
  const sidebar = page.getByRole('complementary', { name: 'Contact details' });
  const duplicates = sidebar.getByRole('list', { name: 'Possible duplicates' });
  await duplicates.getByRole('button', { name: 'Merge Alice Martin into this contact' }).waitFor();
  assert.match(await sidebar.innerText(), /\+33651296093/);
  await page.context().close();
});
