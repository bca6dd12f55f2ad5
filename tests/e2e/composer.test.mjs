// The composer's helpers: `:` emoji (the table is fetched only when the picker first
// opens), `/` saved replies, `$` variables filled by the server at send time, a draft
// per conversation that survives navigation and reloads; and the saved-replies settings
// page, where managers create replies that agents then insert but cannot change.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { accessibleNames, eventually, focused, openConversation, signIn, timeline, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

const composerOf = (view) => view.getByRole('textbox', { name: 'Message' });

/** The textarea's active option (its `aria-activedescendant`), by accessible name. */
async function activeOption(page, composer) {
  const id = await composer.getAttribute('aria-activedescendant');
  assert.ok(id, 'an option is active');
  return (await accessibleNames(page.locator(`[id="${id}"]`), 'option'))[0];
}

test('`:` opens the emoji picker: lazily loaded, searchable, keyboard and mouse', async () => {
  const page = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  const emojiRequests = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/emoji.json') emojiRequests.push(r.url());
  });
  const view = await openConversation(page, 'Mine', 'Chloé Farouk');
  const composer = composerOf(view);
  await eventually(async () => assert.ok(await focused(composer)));
  await composer.pressSequentially('Thanks a lot');
  // Nothing of the emoji table is loaded until the picker opens.
  assert.deepEqual(emojiRequests, []);
  assert.equal(await page.getByRole('listbox').count(), 0);

  await composer.pressSequentially(' :smile');
  const listbox = view.getByRole('listbox', { name: 'Emoji' });
  await listbox.waitFor();
  assert.equal(emojiRequests.length, 1);
  assert.equal(await composer.getAttribute('aria-controls'), await listbox.getAttribute('id'));
  // The exact shortcode ranks first, and the typing goes on filtering.
  await eventually(async () => assert.equal(await activeOption(page, composer), 'grinning face with smiling eyes'));
  assert.ok(await listbox.getByRole('option', { name: 'cat with wry smile', exact: true }).isVisible());
  await composer.press('ArrowDown');
  assert.notEqual(await activeOption(page, composer), 'grinning face with smiling eyes');
  await composer.press('ArrowUp');
  assert.equal(await activeOption(page, composer), 'grinning face with smiling eyes');
  // Enter chooses (it does not send); the focus stays in the text.
  await composer.press('Enter');
  assert.equal(await composer.inputValue(), 'Thanks a lot 😄');
  assert.equal(await listbox.count(), 0);
  assert.ok(await focused(composer));

  // Clicking an option works too; the table is not fetched again.
  await composer.pressSequentially(' :thumbs');
  await listbox.getByRole('option', { name: 'thumbs up', exact: true }).click();
  assert.equal(await composer.inputValue(), 'Thanks a lot 😄 👍');
  assert.ok(await focused(composer));

  // Escape closes without changing the text; writing on does not reopen it.
  await composer.pressSequentially(' :wav');
  await listbox.waitFor();
  await composer.press('Escape');
  assert.equal(await listbox.count(), 0);
  await composer.pressSequentially('e');
  assert.equal(await listbox.count(), 0);
  assert.equal(await composer.inputValue(), 'Thanks a lot 😄 👍 :wave');
  // A colon inside writing is not a trigger.
  await composer.fill('');
  await composer.pressSequentially('See you at 10:30');
  assert.equal(await listbox.count(), 0);
  assert.equal(emojiRequests.length, 1);

  // Nothing was sent while choosing.
  assert.equal(await timeline(view).getByRole('listitem').filter({ hasText: 'Thanks a lot' }).count(), 0);
  await composer.fill('');
  await page.context().close();
});

test('`/` inserts a saved reply and `$` a variable; the server fills them when sent', async () => {
  const page = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  const view = await openConversation(page, 'Mine', 'Chloé Farouk');
  const composer = composerOf(view);
  await eventually(async () => assert.ok(await focused(composer)));

  await composer.pressSequentially('/');
  const replies = view.getByRole('listbox', { name: 'Saved replies' });
  await replies.waitFor();
  // All six, by category.
  await eventually(async () => assert.equal(await replies.getByRole('option').count(), 6));
  for (const category of ['Billing', 'Greetings', 'Shipping']) {
    assert.ok(await replies.getByRole('group', { name: category }).isVisible(), category);
  }
  await composer.pressSequentially('parcel');
  await eventually(async () => assert.equal(await replies.getByRole('option').count(), 2));
  assert.ok(await replies.getByRole('group', { name: 'Shipping' }).getByRole('option', { name: 'Delivery delay' }).isVisible());
  await replies.getByRole('option', { name: 'Delivery delay' }).click();
  assert.equal(
    await composer.inputValue(),
    'Sorry {{contact.first_name}}, your parcel is delayed by the carrier. It should arrive within 2 business days.',
  );
  await composer.press('Enter');
  await eventually(async () => assert.equal(await composer.inputValue(), ''));
  const sent = (text) => timeline(view).getByRole('listitem').filter({ hasText: text });
  await eventually(async () => assert.equal(await sent('Sorry Chloé, your parcel is delayed by the carrier').count(), 1));

  await composer.pressSequentially('Hi $first');
  const variables = view.getByRole('listbox', { name: 'Variables' });
  await variables.waitFor();
  assert.deepEqual(await accessibleNames(variables, 'option'), [
    'Contact first name',
    'Agent first name',
  ]);
  await composer.press('Enter');
  assert.equal(await composer.inputValue(), 'Hi {{contact.first_name}}');
  await composer.pressSequentially(', $agent.f');
  await variables.getByRole('option', { name: 'Agent first name' }).waitFor();
  await composer.press('Tab');
  await composer.pressSequentially(' here.');
  assert.equal(await composer.inputValue(), 'Hi {{contact.first_name}}, {{agent.first_name}} here.');
  await composer.press('Enter');
  // The timeline shows the server's copy, filled in.
  await eventually(async () => {
    assert.equal(await sent('Hi Chloé, Aaron here.').count(), 1);
    assert.doesNotMatch(await timeline(view).innerText(), /\{\{/);
  });
  await page.context().close();
});

test('a draft is kept per conversation across navigation and reload, and cleared when sent', async () => {
  const page = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  let view = await openConversation(page, 'Mine', 'Chloé Farouk');
  await composerOf(view).fill('Let me check with the warehouse');
  view = await openConversation(page, 'Mine', 'Samir Li');
  assert.equal(await composerOf(view).inputValue(), '');
  await composerOf(view).pressSequentially('Draft for Samir');

  view = await openConversation(page, 'Mine', 'Chloé Farouk');
  await eventually(async () => assert.equal(await composerOf(view).inputValue(), 'Let me check with the warehouse'));
  await page.reload();
  view = page.getByRole('region', { name: 'Conversation with Chloé Farouk' });
  await eventually(async () => assert.equal(await composerOf(view).inputValue(), 'Let me check with the warehouse'));
  // The caret waits after the draft, ready to go on.
  await eventually(async () => assert.ok(await focused(composerOf(view))));
  await composerOf(view).pressSequentially(' and come back to you.');
  await composerOf(view).press('Enter');
  await timeline(view).getByRole('listitem').filter({ hasText: 'Let me check with the warehouse and come back to you.' }).waitFor();
  assert.equal(await composerOf(view).inputValue(), '');

  await page.reload();
  view = page.getByRole('region', { name: 'Conversation with Chloé Farouk' });
  await view.waitFor();
  await eventually(async () => assert.ok(await focused(composerOf(view))));
  assert.equal(await composerOf(view).inputValue(), '');
  // The other conversation's draft is its own.
  view = await openConversation(page, 'Mine', 'Samir Li');
  await eventually(async () => assert.equal(await composerOf(view).inputValue(), 'Draft for Samir'));
  await page.context().close();
});

test('a manager manages saved replies; the new one is in the `/` picker; agents only read', async () => {
  const max = await signIn(env.browser, env.server.base, 'max@parley.test');
  await max.getByRole('link', { name: 'Saved replies' }).click();
  await max.getByRole('heading', { name: 'Saved replies', level: 1 }).waitFor();
  const main = max.getByRole('main');
  await main.getByRole('region', { name: 'Greetings' }).waitFor();
  assert.equal(await main.getByRole('listitem').count(), 6);

  // Searchable.
  await main.getByRole('searchbox', { name: 'Search saved replies' }).fill('parcel');
  await eventually(async () => assert.equal(await main.getByRole('listitem').count(), 2));
  assert.equal(await main.getByRole('region', { name: 'Billing' }).count(), 0);
  await main.getByRole('searchbox', { name: 'Search saved replies' }).fill('');

  // A refusal from the server is shown in words, next to the form.
  await main.getByRole('button', { name: 'New saved reply' }).click();
  const form = main.getByRole('form', { name: 'New saved reply' });
  await eventually(async () => assert.ok(await focused(form.getByLabel('Category'))));
  await form.getByLabel('Category').fill('Returns');
  await form.getByLabel('Text').fill('Here is your return label, {{contact.first_name}}.');
  await form.getByRole('button', { name: 'Save' }).click();
  await eventually(async () => assert.match(await form.getByRole('alert').innerText(), /title must be 1 to 120 characters/));
  await form.getByLabel('Title').fill('Return label');
  await form.getByRole('button', { name: 'Save' }).click();
  await eventually(async () => assert.equal(await form.count(), 0));
  const returns = main.getByRole('region', { name: 'Returns' });
  await eventually(async () => assert.match(await returns.innerText(), /Return label[\s\S]*Here is your return label/));

  // Edit, then delete another one.
  await main.getByRole('button', { name: 'Edit Return label' }).click();
  const edit = main.getByRole('form', { name: 'Edit saved reply' });
  assert.equal(await edit.getByLabel('Title').inputValue(), 'Return label');
  await edit.getByLabel('Title').fill('Return shipping label');
  await edit.getByRole('button', { name: 'Save' }).click();
  await eventually(async () => assert.match(await returns.innerText(), /Return shipping label/));
  await main.getByRole('button', { name: 'Delete Tracking link' }).click();
  await eventually(async () => assert.equal(await main.getByText('Tracking link').count(), 0));

  // The new reply is in the composer's picker.
  await max.getByRole('link', { name: 'Back to the inbox' }).click();
  let view = await openConversation(max, 'All', 'Chloé Farouk');
  await composerOf(view).pressSequentially('/return');
  const replies = view.getByRole('listbox', { name: 'Saved replies' });
  await replies.getByRole('option', { name: 'Return shipping label' }).waitFor();
  await composerOf(view).press('Enter');
  assert.equal(await composerOf(view).inputValue(), 'Here is your return label, {{contact.first_name}}.');
  await composerOf(view).fill('');

  // An agent sees the replies (the new one too) but cannot change them; nor can the API.
  const aaron = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  await aaron.getByRole('link', { name: 'Saved replies' }).click();
  const aaronMain = aaron.getByRole('main');
  await aaronMain.getByRole('region', { name: 'Returns' }).waitFor();
  assert.match(await aaronMain.innerText(), /Only owners and managers can change saved replies/);
  assert.equal(await aaronMain.getByRole('button', { name: /New saved reply|^Edit |^Delete / }).count(), 0);
  const token = await aaron.evaluate(() => localStorage.getItem('parley.token'));
  const refused = await fetch(`${env.server.base}/api/v1/snippets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ category: 'X', title: 'Y', text: 'Z' }),
  });
  assert.equal(refused.status, 403);
  await aaron.getByRole('link', { name: 'Back to the inbox' }).click();
  view = await openConversation(aaron, 'Mine', 'Chloé Farouk');
  await composerOf(view).pressSequentially('/return');
  await view.getByRole('listbox', { name: 'Saved replies' }).getByRole('option', { name: 'Return shipping label' }).waitFor();
  await composerOf(view).fill('');
  await max.context().close();
  await aaron.context().close();
});
