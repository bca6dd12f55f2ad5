// The Contacts page (issue 14, item 1): from the header's "Contacts" link, find a contact
// by phone (typed with spaces, searched on the server), open them in the contact sidebar,
// open their closed conversation from the Conversations tab (with its closing reason) and
// reopen it; a restricted agent finds only their own contacts.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  accessibleNames, checkA11y, eventually, requestAs, signIn, timeline, useServerAndBrowser,
} from './helpers.mjs';

const env = useServerAndBrowser();

/** Changes a conversation's status through the API, as `email`. */
async function lifecycle(email, conversation, body) {
  const res = await requestAs(env.server, email, 'POST', `/conversations/${conversation}/lifecycle`, body);
  assert.equal(res.status, 200, res.text);
}

/** The contacts page's searchbox and result list. */
const searchbox = (page) => page.getByRole('searchbox', { name: 'Search contacts' });
const results = (page) => page.getByRole('list', { name: 'Contacts', exact: true });

test('find a contact by phone, open their closed conversation and reopen it', async () => {
  // Laura Laurent (k-012, +49 15 36 66 30 24) is Aaron's; her only conversation (cv-014,
  // snoozed in the fixture) is closed with a reason first.
  await lifecycle('aaron@parley.test', 'cv-014', { action: 'close', note: 'sorted by phone', reason: 'Resolved' });
  const page = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  await page.getByRole('link', { name: 'Contacts', exact: true }).click();
  await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
  await eventually(async () => assert.equal(await page.title(), 'Contacts · Parley'));

  // Everyone Aaron sees at first, by name; then the phone as a customer would say it.
  await eventually(async () => assert.ok((await results(page).getByRole('link').count()) > 3));
  await searchbox(page).fill('+49 15 36 66 30 24');
  await eventually(async () => {
    const names = await accessibleNames(results(page), 'link');
    assert.equal(names.length, 1, names.join(', '));
    assert.match(names[0], /^Laura Laurent\b.*laura\.laurent11@example\.com$/);
  });
  await checkA11y(page, 'contacts page, a search');

  await results(page).getByRole('link', { name: /^Laura Laurent/ }).click();
  await eventually(async () => assert.match(page.url(), /\/contacts\/k-012$/));
  const sidebar = page.getByRole('complementary', { name: 'Contact details' });
  await sidebar.getByRole('heading', { name: 'Laura Laurent' }).waitFor();
  assert.equal(
    await results(page).getByRole('link', { name: /^Laura Laurent/ }).getAttribute('aria-current'),
    'page',
  );
  await sidebar.getByRole('tab', { name: 'Conversations' }).click();
  const history = sidebar.getByRole('list', { name: 'Conversations' });
  const closed = history.getByRole('link', { name: /^Closed · / });
  await closed.waitFor();
  assert.match(await closed.innerText(), /Closing reason: Resolved/);
  await checkA11y(page, 'contacts page, a contact with its conversations');

  // The closed conversation opens from its link, with its thread and Reopen; the same
  // address loaded afresh (a direct link) shows it too.
  await closed.click();
  let view = page.getByRole('region', { name: 'Conversation with Laura Laurent' });
  await view.waitFor();
  await view.getByText('Closed', { exact: true }).waitFor();
  await page.reload();
  view = page.getByRole('region', { name: 'Conversation with Laura Laurent' });
  await view.getByText('Closed', { exact: true }).waitFor();
  await timeline(view).getByText('How do I reset my password?').first().waitFor();
  await view.getByRole('button', { name: 'Reopen' }).click();
  await view.getByText('New', { exact: true }).waitFor();
  assert.ok(await view.getByRole('textbox', { name: 'Message' }).isEnabled());

  // Back on the contacts page, the history says so too.
  await page.goto(`${env.server.base}/contacts/k-012`);
  const again = page.getByRole('complementary', { name: 'Contact details' });
  await again.getByRole('tab', { name: 'Conversations' }).click();
  await again.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: /^New · / }).waitFor();
  await page.context().close();
});

test('a self-restricted agent finds only their own contacts; more pages load on demand', async () => {
  // Sam sees only contacts assigned to him: Hugo Roux (k-008) among them, not Alice Martin.
  const sam = await signIn(env.browser, env.server.base, 'sam@parley.test');
  await sam.goto(`${env.server.base}/contacts`);
  await searchbox(sam).fill('alice');
  await sam.getByRole('status').filter({ hasText: 'No contact matches.' }).waitFor();
  await searchbox(sam).fill('hugo roux');
  await eventually(async () => {
    const names = await accessibleNames(results(sam), 'link');
    assert.equal(names.length, 1, names.join(', '));
    assert.match(names[0], /^Hugo Roux\b/);
  });
  await sam.context().close();

  // The owner sees everyone: more than a page of 50 needs "Load more contacts".
  const olivia = await signIn(env.browser, env.server.base, 'olivia@parley.test');
  await olivia.goto(`${env.server.base}/contacts`);
  await eventually(async () => assert.equal(await results(olivia).getByRole('link').count(), 50));
  const more = olivia.getByRole('button', { name: 'Load more contacts' });
  await more.click();
  await eventually(async () => assert.ok((await results(olivia).getByRole('link').count()) > 50));
  const names = await accessibleNames(results(olivia), 'link');
  assert.equal(new Set(names).size, names.length, 'no contact twice');
  await olivia.context().close();
});
