// Keyboard-first triage, driven by the keyboard alone once signed in: j/k through the
// list (the focus follows), the single-key actions on the open conversation, the same
// keys ignored while typing, the shortcut help dialog, `/` to the inbox search, and the
// command palette (inboxes, conversations by contact name within visibility, actions).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { eventually, focused, linkName, signIn, timeline, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

/** Signs in as `email` and loads `path` (so no search box holds the focus). */
async function at(email, path) {
  const page = await signIn(env.browser, env.server.base, email);
  await page.goto(`${env.server.base}${path}`);
  await page.getByRole('navigation', { name: 'Inboxes' }).waitFor();
  return page;
}

/** Whether the focus is inside `locator`'s element. */
const focusWithin = (locator) => locator.evaluate((el) => el.contains(document.activeElement));

test('j and k open the next and previous conversation of the list, and the focus follows', async () => {
  const page = await at('max@parley.test', '/inbox/all');
  const list = page.getByRole('list', { name: 'All', exact: true });
  const links = list.getByRole('link');
  await links.nth(2).waitFor();
  const names = [];
  for (let i = 0; i < 3; i++) names.push((await linkName(links.nth(i))).split(',')[0]);

  const opened = (name) => page.getByRole('region', { name: `Conversation with ${name}` });
  await page.keyboard.press('j');
  await opened(names[0]).waitFor();
  await eventually(async () => assert.ok(await focused(links.nth(0))));
  await page.keyboard.press('j');
  await opened(names[1]).waitFor();
  // The link of the open conversation has the focus (not the composer), so j goes on.
  await eventually(async () => assert.ok(await focused(links.nth(1))));
  assert.equal(await links.nth(1).getAttribute('aria-current'), 'page');
  await page.keyboard.press('j');
  await opened(names[2]).waitFor();
  await eventually(async () => assert.ok(await focused(links.nth(2))));
  await page.keyboard.press('k');
  await opened(names[1]).waitFor();
  await eventually(async () => assert.ok(await focused(links.nth(1))));
  assert.match(page.url(), /\/inbox\/all\/c\//);
  await page.context().close();
});

test('r, n, a, p, s and c act on the open conversation; typed into the composer they are text', async () => {
  // Bruno Lefèvre (k-002, cv-003) is unassigned and new; Max sees it in All.
  const page = await at('max@parley.test', '/inbox/all/c/cv-003');
  const view = page.getByRole('region', { name: 'Conversation with Bruno Lefèvre' });
  const message = view.getByRole('textbox', { name: 'Message' });
  const noteMode = view.getByRole('button', { name: 'Internal note' });
  await eventually(async () => assert.ok(await focused(message)));

  // Typing: every shortcut key is just text, and nothing else happens.
  await page.keyboard.type('jkrnapsc/?');
  assert.equal(await message.inputValue(), 'jkrnapsc/?');
  assert.match(page.url(), /\/c\/cv-003$/);
  assert.equal(await page.getByRole('dialog').count(), 0);
  assert.equal(await noteMode.getAttribute('aria-pressed'), 'false');
  assert.equal(await view.getByText('New', { exact: true }).count(), 1);
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');

  // Out of the text box (Tab), the keys are shortcuts.
  await page.keyboard.press('Tab');
  await eventually(async () => assert.ok(await focused(noteMode)));
  await page.keyboard.press('n');
  await eventually(async () => assert.ok(await focused(message)));
  assert.equal(await noteMode.getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('Tab');
  await page.keyboard.press('r');
  await eventually(async () => assert.ok(await focused(message)));
  assert.equal(await noteMode.getAttribute('aria-pressed'), 'false');

  // a: the assignee picker, its search focused; Enter assigns, the focus returns.
  await page.keyboard.press('Tab');
  await page.keyboard.press('a');
  const search = view.getByRole('combobox', { name: 'Search users' });
  await eventually(async () => assert.ok(await focused(search)));
  await page.keyboard.type('Léa');
  await page.keyboard.press('Enter');
  const assignee = view.getByRole('button', { name: 'Assignee: Léa Moreau' });
  await assignee.waitFor();
  await eventually(async () => assert.ok(await focused(assignee)));

  // p: pending at once.
  await page.keyboard.press('p');
  await view.getByText('Pending', { exact: true }).waitFor();
  await timeline(view).getByRole('listitem').filter({ hasText: 'Max Martin marked the conversation pending' }).waitFor();

  // s: the snooze dialog; Escape closes it.
  await page.keyboard.press('s');
  const snooze = page.getByRole('dialog', { name: 'Snooze conversation' });
  await snooze.waitFor();
  await eventually(async () => assert.ok(await focusWithin(snooze)));
  await page.keyboard.press('Escape');
  await snooze.waitFor({ state: 'detached' });
  await eventually(async () => assert.ok(await focused(view.getByRole('button', { name: 'Snooze' }))));

  // c: the close dialog; Tab to its Close button and Enter.
  await page.keyboard.press('c');
  const close = page.getByRole('dialog', { name: 'Close conversation' });
  await close.waitFor();
  await page.keyboard.type('done by keyboard');
  for (let i = 0; i < 10 && !(await focused(close.getByRole('button', { name: 'Close', exact: true }))); i++) {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  await close.waitFor({ state: 'detached' });
  await view.getByText('Closed', { exact: true }).waitFor();

  // A closed conversation cannot be closed or snoozed again: the app says so.
  await page.keyboard.press('c');
  await page.getByRole('status').filter({ hasText: 'Close conversation: not possible, the conversation is closed.' }).waitFor();
  assert.equal(await page.getByRole('dialog').count(), 0);
  await page.context().close();
});

test('? shows every shortcut in a modal dialog; Escape closes it and returns the focus', async () => {
  const page = await at('max@parley.test', '/inbox/all');
  const list = page.getByRole('list', { name: 'All', exact: true });
  const first = list.getByRole('link').first();
  await first.waitFor();
  await page.keyboard.press('j');
  await eventually(async () => assert.ok(await focused(first)));
  const url = page.url();

  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  await help.getByRole('heading', { name: 'Keyboard shortcuts' }).waitFor();
  for (const what of ['Next conversation', 'Previous conversation', 'Reply', 'Write an internal note', 'Assign',
    'Close conversation', 'Mark pending', 'Snooze', 'Search inboxes', 'Show keyboard shortcuts', 'Open the command palette']) {
    await help.getByRole('cell', { name: what, exact: true }).waitFor();
  }
  // The focus is in the dialog and stays there; shortcuts wait while it is open.
  await eventually(async () => assert.ok(await focusWithin(help)));
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press('Tab');
    assert.ok(await focusWithin(help), `Tab ${i + 1} left the dialog`);
  }
  await page.keyboard.press('Shift+Tab');
  assert.ok(await focusWithin(help), 'Shift+Tab left the dialog');
  await page.keyboard.press('j');
  await page.keyboard.press('c');
  assert.equal(page.url(), url);
  assert.equal(await page.getByRole('dialog').count(), 1);

  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  await eventually(async () => assert.ok(await focused(first)));
  await page.context().close();
});

test('/ focuses the inbox search, which filters the side panel; keys typed there are text', async () => {
  const page = await at('aaron@parley.test', '/inbox/mine');
  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: 'Search inboxes' });
  await eventually(async () => assert.ok(await focused(search)));
  await page.keyboard.type('sup');
  assert.equal(await search.inputValue(), 'sup');
  const inboxes = page.getByRole('navigation', { name: 'Inboxes' });
  await eventually(async () => assert.deepEqual(
    (await inboxes.getByRole('link').all()).length, 1,
  ));
  assert.match(await linkName(inboxes.getByRole('link').first()), /^Support, \d+ open/);
  await page.context().close();
});

test('the command palette finds an inbox, a conversation by contact name within visibility, and runs an action', async () => {
  // Tess sees only her team's contacts (Sales: Aaron, Léa, Tess).
  const page = await at('tess@parley.test', '/inbox/mine');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  const box = palette.getByRole('combobox', { name: 'Search commands, inboxes and conversations' });
  const listbox = palette.getByRole('listbox', { name: 'Results' });
  const activeOption = async () => {
    const id = await box.getAttribute('aria-activedescendant');
    const option = palette.locator(`[id="${id}"]`);
    assert.equal(await option.getAttribute('role'), 'option');
    assert.equal(await option.getAttribute('aria-selected'), 'true');
    return (await option.innerText()).split('\n')[0].trim();
  };

  // An inbox, found client-side.
  await page.keyboard.press('Control+k');
  await palette.waitFor();
  await palette.getByRole('heading', { name: 'Command palette' }).waitFor();
  await eventually(async () => assert.ok(await focused(box)));
  assert.equal(await box.getAttribute('aria-controls'), await listbox.getAttribute('id'));
  await page.keyboard.type('sales');
  await listbox.getByRole('group', { name: 'Inboxes' }).getByRole('option', { name: 'Sales' }).waitFor();
  assert.equal(await box.getAttribute('aria-expanded'), 'true');
  assert.equal(await activeOption(), 'Sales');
  await page.keyboard.press('Enter');
  await palette.waitFor({ state: 'detached' });
  await page.getByRole('list', { name: 'Sales', exact: true }).waitFor();
  assert.match(page.url(), /\/inbox\/team-t-sales/);

  // Conversations by contact name, from the server: Fatou Berg is Tess's; Farid Berg
  // (Nina's) and Zoé Berg (Olivia's) are outside her team, so they are not found.
  await page.keyboard.press('Control+k');
  await palette.waitFor();
  await page.keyboard.type('berg');
  const conversations = listbox.getByRole('group', { name: 'Conversations' });
  await conversations.getByRole('option', { name: 'Fatou Berg' }).waitFor();
  assert.deepEqual(await conversations.getByRole('option').allInnerTexts().then((t) => t.map((x) => x.split('\n')[0].trim())), ['Fatou Berg']);
  assert.equal(await listbox.getByRole('option', { name: /Farid Berg|Zoé Berg/ }).count(), 0);
  // Arrow keys move the active option; Enter opens it.
  for (let i = 0; i < 10 && (await activeOption()) !== 'Fatou Berg'; i++) await page.keyboard.press('ArrowDown');
  assert.equal(await activeOption(), 'Fatou Berg');
  await page.keyboard.press('Enter');
  const view = page.getByRole('region', { name: 'Conversation with Fatou Berg' });
  await view.waitFor();
  // Its composer has the focus; Ctrl+K works from there too.
  await eventually(async () => assert.ok(await focused(view.getByRole('textbox', { name: 'Message' }))));

  // Someone invisible is not found at all.
  await page.keyboard.press('Control+k');
  await palette.waitFor();
  await page.keyboard.type('farid');
  await palette.getByRole('status').filter({ hasText: 'No conversation matches.' }).waitFor();
  assert.equal(await listbox.getByRole('option', { name: /Farid/ }).count(), 0);
  // Escape closes it and gives the focus back.
  await page.keyboard.press('Escape');
  await palette.waitFor({ state: 'detached' });
  await eventually(async () => assert.ok(await focused(view.getByRole('textbox', { name: 'Message' }))));

  // An action on the open conversation.
  await page.keyboard.press('Control+k');
  await palette.waitFor();
  const actions = listbox.getByRole('group', { name: 'Actions' });
  await actions.getByRole('option', { name: 'Close conversation' }).waitFor();
  await page.keyboard.type('pend');
  await eventually(async () => assert.equal(await activeOption(), 'Mark pending'));
  await page.keyboard.press('Enter');
  await palette.waitFor({ state: 'detached' });
  await view.getByText('Pending', { exact: true }).waitFor();
  await timeline(view).getByRole('listitem').filter({ hasText: 'marked the conversation pending' }).waitFor();
  // Pending no longer offers itself.
  await page.keyboard.press('Control+k');
  await actions.getByRole('option', { name: 'Snooze' }).waitFor();
  assert.equal(await actions.getByRole('option', { name: 'Mark pending' }).count(), 0);
  await page.keyboard.press('Escape');
  await palette.waitFor({ state: 'detached' });
  await page.context().close();
});
