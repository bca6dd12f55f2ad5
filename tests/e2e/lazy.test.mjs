// The wasm is split (issue 11, item 7; crates/xtask/src/split.rs): an agent's inbox loads
// the main module only; the open conversation, the keyboard dialogs, the calls panel, the
// settings and the reports pages fetch their own chunk the first time they are shown (or
// while the inbox is idle), once. Chunks carry the build's hash, so the server
// lets browsers keep them.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { eventually, focused, inboxes, openConversation, signIn, timeline, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

/** Every wasm file `page` fetches from now on, by name, with its response's headers. */
function wasmFetches(page) {
  const fetched = [];
  page.on('response', (r) => {
    const name = new URL(r.url()).pathname.split('/').pop();
    if (name.endsWith('.wasm')) fetched.push({ name, status: r.status(), headers: r.headers() });
  });
  return fetched;
}

test('the inbox loads the main wasm only; a lazy page fetches its chunk once, kept by the browser', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const fetched = wasmFetches(page);
  await page.goto(`${env.server.base}/sign-in`);
  await page.getByLabel('Email').fill('max@parley.test');
  await page.getByLabel('Password').fill('parley-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await inboxes(page).waitFor();
  // The main module first; no page's chunk (the open conversation's may follow, fetched
  // while the inbox is idle: the next test).
  assert.equal(fetched[0].name.replace(/-[0-9a-f]{16}/, '-HASH'), 'parley-HASH_bg.wasm');
  const pages = /^split_(rules|templates|snippets|closing_reasons|reports|contacts|custom_inbox_form)_/;
  assert.ok(!fetched.some((f) => pages.test(f.name)), JSON.stringify(fetched.map((f) => f.name)));

  // Reports: its chunk (and the small chunks it shares with other pages) arrive with it.
  await page.getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
  const reports = fetched.slice(1);
  assert.ok(reports.some((f) => f.name.startsWith('split_reports_')), JSON.stringify(reports.map((f) => f.name)));
  assert.ok(!reports.some((f) => /^split_(rules|templates|snippets|closing_reasons)_/.test(f.name)));
  for (const f of reports) {
    assert.equal(f.status, 200, f.name);
    assert.equal(f.headers['content-type'], 'application/wasm', f.name);
    assert.match(f.headers['cache-control'], /immutable/, f.name);
  }

  // Back to the inbox and to Reports again: nothing fetched twice.
  await page.goBack();
  await inboxes(page).waitFor();
  const before = fetched.length;
  await page.getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
  // Another lazy page brings only its own code.
  await page.goBack();
  await inboxes(page).waitFor();
  await page.getByRole('link', { name: 'Saved replies' }).click();
  await page.getByRole('heading', { name: 'Saved replies', level: 1 }).waitFor();
  await eventually(async () => assert.ok(fetched.slice(before).some((f) => f.name.startsWith('split_snippets_'))));
  assert.ok(!fetched.slice(before).some((f) => f.name.startsWith('split_reports_')), 'Reports is not fetched twice');

  // The contacts page too. Its contact sidebar is a chunk it shares with the open
  // conversation, so the conversation's preload has brought it already.
  await page.goBack();
  await inboxes(page).waitFor();
  const beforeContacts = fetched.length;
  await page.getByRole('link', { name: 'Contacts', exact: true }).click();
  await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
  await eventually(async () => assert.ok(fetched.slice(beforeContacts).some((f) => f.name.startsWith('split_contacts_'))));
  const names = fetched.map((f) => f.name);
  assert.equal(new Set(names).size, names.length, `nothing fetched twice: ${JSON.stringify(names)}`);

  // A deep link to a lazy page loads it directly.
  await page.goto(`${env.server.base}/settings/rules`);
  await page.getByRole('heading', { name: 'Rules', level: 1 }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('the open conversation’s and the keyboard dialogs’ chunks are fetched once, while the inbox is idle, before use', async () => {
  let fetched = [];
  const errors = [];
  const page = await signIn(env.browser, env.server.base, 'max@parley.test', 'parley-demo', {
    beforeLoad: (p) => {
      fetched = wasmFetches(p);
      p.on('pageerror', (e) => errors.push(e.message));
    },
  });
  const conversationChunks = () => fetched.filter((f) => f.name.startsWith('split_conversation_'));
  await eventually(async () => assert.equal(conversationChunks().length, 1, JSON.stringify(fetched.map((f) => f.name))));
  const first = await openConversation(page, 'All', 'Chloé Farouk');
  await timeline(first).getByRole('listitem').first().waitFor();
  const composer = page.getByRole('textbox', { name: 'Message' });
  await eventually(async () => assert.ok(await focused(composer)));
  // Another conversation: nothing fetched again.
  const before = fetched.length;
  const second = await openConversation(page, 'All', 'Bruno Lefèvre');
  await timeline(second).getByRole('listitem').first().waitFor();
  assert.deepEqual(fetched.slice(before), []);
  assert.equal(conversationChunks().length, 1);

  // The keyboard dialogs' chunks came while idle too: `?` and Ctrl+K open at once, and
  // fetch nothing.
  const keyChunks = /^split_(command_palette|shortcut_help)_/;
  await eventually(async () => assert.equal(fetched.filter((f) => keyChunks.test(f.name)).length, 2));
  const beforeKeys = fetched.length;
  await page.getByRole('link', { name: /^All/ }).first().focus();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await help.waitFor();
  await page.keyboard.press('Escape');
  await help.waitFor({ state: 'detached' });
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.waitFor();
  await eventually(async () => assert.ok(await focused(palette.getByRole('combobox'))));
  await page.keyboard.press('Escape');
  await palette.waitFor({ state: 'detached' });
  assert.deepEqual(fetched.slice(beforeKeys), []);

  // A deep link to a conversation (a reload) shows it, composer focused.
  await page.reload();
  const again = page.getByRole('region', { name: 'Conversation with Bruno Lefèvre' });
  await timeline(again).getByRole('listitem').first().waitFor();
  await eventually(async () => assert.ok(await focused(page.getByRole('textbox', { name: 'Message' }))));
  assert.deepEqual(errors, []);
  await page.context().close();
});
