// axe-core (WCAG 2.2 AA) finds no serious or critical violation on any screen, at a
// desktop width and a phone width (issue 11, item 5): sign-in; the side panel, list and
// conversation; each composer picker open; each contact-sidebar tab, the edit form and
// the merge confirmation; every dialog (close, snooze, bulk resolve, new / edit / delete
// custom inbox, the keyboard shortcuts, the command palette); a ringing call, the call card and the inbox's call log; the saved-replies
// page and its form. Each test audits several screens and reports every violation it
// found at once.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { checkA11y, eventually, inboxLink, openConversation, signIn, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

/** Every screen's violations, so that one run names them all. */
let problems = [];
async function audit(page, where) {
  try {
    await checkA11y(page, where);
  } catch (e) {
    problems.push(e.message);
  }
}
function noProblems() {
  const found = problems;
  problems = [];
  assert.deepEqual(found, []);
}

async function post(path, body, token, method = 'POST') {
  const res = await fetch(`${env.server.base}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
}

const WIDTHS = [[1440, 900], [375, 812]];
const sidebarOf = (page) => page.getByRole('complementary', { name: 'Contact details' });
const composerOf = (view) => view.getByRole('textbox', { name: 'Message' });

let owner;
test('setup: Olivia (owner) has a custom inbox and a contact with a duplicate', async () => {
  const { token } = await post('/session', { email: 'olivia@parley.test', password: 'parley-demo' });
  await post('/custom-inboxes', { name: 'VIP follow-up', filter: { tag: 'vip' }, sharing: 'private' }, token);
  // Jonas Novak (Olivia's) gets Kaito Khan's email: Kaito becomes a merge suggestion.
  await post('/contacts/k-010', { email: 'kaito.khan10@example.com' }, token, 'PATCH');
  owner = await signIn(env.browser, env.server.base, 'olivia@parley.test');
});

for (const [width, height] of WIDTHS) {
  test(`sign-in, the side panel, the list and the dialogs of a list at ${width} px`, async () => {
    const context = await env.browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    await page.goto(`${env.server.base}/sign-in`);
    await page.getByLabel('Email').waitFor();
    await audit(page, `sign-in at ${width} px`);
    await context.close();

    await owner.setViewportSize({ width, height });
    await inboxLink(owner, 'All').click();
    await owner.getByRole('list', { name: 'All', exact: true }).getByRole('link').first().waitFor();
    await audit(owner, `the All inbox at ${width} px`);

    await owner.getByRole('button', { name: 'Bulk resolve' }).click();
    const bulk = owner.getByRole('dialog', { name: 'Bulk resolve' });
    await bulk.waitFor();
    await audit(owner, `the bulk-resolve dialog at ${width} px`);
    await owner.keyboard.press('Escape');
    await bulk.waitFor({ state: 'detached' });

    await owner.getByRole('tab', { name: 'Calls' }).click();
    await owner.getByRole('list', { name: 'Call log' }).or(owner.getByText(/No calls/)).first().waitFor();
    await audit(owner, `the All inbox's call log at ${width} px`);
    await owner.getByRole('tab', { name: 'Chats' }).click();
    noProblems();
  });

  test(`the custom inboxes: list, new, edit and delete dialogs at ${width} px`, async () => {
    const custom = owner.getByRole('region', { name: 'Custom inboxes' });
    await custom.getByRole('button', { name: 'New custom inbox' }).click();
    const dialog = owner.getByRole('dialog', { name: 'New custom inbox' });
    await dialog.waitFor();
    await audit(owner, `the new-custom-inbox dialog at ${width} px`);
    await owner.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    await custom.getByRole('link', { name: /^VIP follow-up/ }).click();
    await owner.getByRole('button', { name: 'Refresh' }).waitFor();
    await audit(owner, `a custom inbox's list at ${width} px`);
    await owner.getByRole('button', { name: 'Edit', exact: true }).click();
    const edit = owner.getByRole('dialog', { name: 'Edit custom inbox' });
    await edit.waitFor();
    await audit(owner, `the edit-custom-inbox dialog at ${width} px`);
    await owner.keyboard.press('Escape');
    await edit.waitFor({ state: 'detached' });
    await owner.getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = owner.getByRole('dialog', { name: 'Delete custom inbox' });
    await confirm.waitFor();
    await audit(owner, `the delete-custom-inbox dialog at ${width} px`);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    noProblems();
  });

  test(`a conversation, its composer pickers and dialogs at ${width} px`, async () => {
    const view = await openConversation(owner, 'Mine', 'Jonas Novak');
    await audit(owner, `a conversation at ${width} px`);

    const composer = composerOf(view);
    for (const [typed, name] of [[':smi', 'Emoji'], ['/', 'Saved replies'], ['$', 'Variables']]) {
      await composer.fill('');
      await composer.pressSequentially(typed);
      const listbox = view.getByRole('listbox', { name });
      await listbox.getByRole('option').first().waitFor();
      await audit(owner, `the ${name} picker at ${width} px`);
      await composer.press('Escape');
      await listbox.waitFor({ state: 'detached' });
    }
    await composer.fill('');

    for (const name of ['Close conversation', 'Snooze conversation']) {
      await view.getByRole('button', { name: name === 'Snooze conversation' ? 'Snooze' : name }).click();
      const dialog = owner.getByRole('dialog', { name });
      await dialog.waitFor();
      await audit(owner, `the ${name} dialog at ${width} px`);
      await owner.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
    }

    // The keyboard dialogs: the shortcut help (`?`, away from any text box) and the
    // command palette with results.
    await owner.evaluate(() => document.activeElement?.blur());
    await owner.keyboard.press('?');
    const help = owner.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await help.waitFor();
    await audit(owner, `the keyboard-shortcuts dialog at ${width} px`);
    await owner.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    await owner.keyboard.press('Control+k');
    const palette = owner.getByRole('dialog', { name: 'Command palette' });
    await palette.getByRole('combobox').pressSequentially('jo');
    await palette.getByRole('option').first().waitFor();
    await audit(owner, `the command palette at ${width} px`);
    await owner.keyboard.press('Escape');
    await palette.waitFor({ state: 'detached' });
    noProblems();
  });

  test(`each contact-sidebar tab, the edit form and the merge confirmation at ${width} px`, async () => {
    const sidebar = sidebarOf(owner);
    const tabs = sidebar.getByRole('tab');
    await tabs.first().waitFor();
    const names = await tabs.allInnerTexts();
    assert.ok(names.length >= 3, `tabs: ${names}`);
    for (let i = 0; i < names.length; i++) {
      await tabs.nth(i).click();
      await eventually(async () => assert.equal(await tabs.nth(i).getAttribute('aria-selected'), 'true'));
      await sidebar.getByRole('tabpanel').waitFor();
      await audit(owner, `the sidebar's ${names[i]} tab at ${width} px`);
    }
    await tabs.first().click();

    await sidebar.getByRole('button', { name: 'Edit contact' }).click();
    const form = sidebar.getByRole('form', { name: 'Edit contact' });
    await form.waitFor();
    await audit(owner, `the edit-contact form at ${width} px`);
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'detached' });

    await sidebar.getByRole('button', { name: 'Merge Kaito Khan into this contact' }).click();
    const confirm = sidebar.getByRole('group', { name: 'Confirm merge' });
    await confirm.waitFor();
    await audit(owner, `the merge confirmation at ${width} px`);
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    noProblems();
  });

  test(`a ringing call and the call card at ${width} px`, async () => {
    // From the inbox (on a phone the side panel shows only outside a conversation).
    await owner.goto(`${env.server.base}/inbox/all`);
    await inboxLink(owner, 'All').waitFor();
    await env.server.call('k-001', 'ring');
    const calls = owner.getByRole('region', { name: 'Incoming calls' });
    const accept = calls.getByRole('button', { name: 'Accept call from Alice Martin' });
    await accept.waitFor();
    await audit(owner, `a ringing call at ${width} px`);
    await accept.click();
    const card = owner.getByRole('region', { name: 'Active call' });
    await card.waitFor();
    await audit(owner, `the call card at ${width} px`);
    await card.getByRole('button', { name: 'End call' }).click();
    await card.waitFor({ state: 'detached' });
    noProblems();
  });

  test(`the saved-replies page and its form at ${width} px`, async () => {
    await owner.getByRole('link', { name: 'Saved replies' }).click();
    const main = owner.getByRole('main');
    await main.getByRole('region', { name: 'Greetings' }).waitFor();
    await audit(owner, `the saved-replies page at ${width} px`);
    await main.getByRole('button', { name: 'New saved reply' }).click();
    const form = main.getByRole('form', { name: 'New saved reply' });
    await form.waitFor();
    await audit(owner, `the new-saved-reply form at ${width} px`);
    await form.getByRole('button', { name: 'Cancel' }).click();
    await owner.getByRole('link', { name: 'Back to the inbox' }).click();
    await owner.getByRole('navigation', { name: 'Inboxes' }).waitFor();
    noProblems();
  });
}
