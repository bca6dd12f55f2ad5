// AI assist in the composer (issue 15, item 1): the server proxies to a stub
// chat-completions server this test starts (node:http), which records each request and
// answers as the test says — a text, or never (a hang past the server's deadline, made
// 1.5 s by the hidden --ai-timeout-ms). Improve → preview → Accept replaces the draft;
// Summarize → Accept adds an internal note; a hang is a readable error; the menu works by
// keyboard; without --ai-url there is no menu.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';

import { apiAs, checkA11y, eventually, focused, launchBrowser, openConversation, signIn, startServer, timeline } from './helpers.mjs';

const KEY = 'sk-e2e-secret';

/** A chat-completions stub on a free port: `mode` is 'answer' or 'hang'. */
async function startStub() {
  const stub = { mode: 'answer', answer: '', seen: [] };
  const hanging = new Set();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      stub.seen.push({ path: req.url, auth: req.headers.authorization, body: JSON.parse(body) });
      if (stub.mode === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: stub.answer } }] }));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  stub.url = `http://127.0.0.1:${server.address().port}/v1`;
  stub.stop = () => {
    for (const res of hanging) res.destroy();
    server.close();
  };
  return stub;
}

const env = {};
before(async () => {
  env.stub = await startStub();
  process.env.PARLEY_AI_KEY = KEY;
  env.server = await startServer({ args: ['--ai-url', env.stub.url, '--ai-model', 'stub-model', '--ai-timeout-ms', '1500'] });
  delete process.env.PARLEY_AI_KEY;
  env.plain = await startServer();
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  await env.server?.stop();
  await env.plain?.stop();
  env.stub?.stop();
});

const menuButton = (view) => view.getByRole('button', { name: 'AI assist' });

test('Improve shows a preview that Accept puts in place of the draft; the use is recorded', async () => {
  const page = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  const view = await openConversation(page, 'Mine', 'Dmitri Weber');
  const id = page.url().split('/c/')[1];
  const box = view.getByRole('textbox', { name: 'Message' });
  await box.fill('hi ur refund is done');
  env.stub.mode = 'answer';
  env.stub.answer = 'Hello! Your refund has been processed.';
  env.stub.seen.length = 0;

  const button = menuButton(view);
  assert.equal(await button.getAttribute('aria-haspopup'), 'menu');
  await button.click();
  const menu = view.getByRole('menu', { name: 'AI assist' });
  await menu.waitFor();
  assert.deepEqual(await menu.getByRole('menuitem').allInnerTexts(), [
    'Improve', 'Shorten', 'Fix spelling and grammar', 'Translate to the contact\'s language', 'Make friendlier',
    'Make more formal', 'Summarize the conversation',
  ]);
  await checkA11y(page, 'the open AI assist menu');
  await menu.getByRole('menuitem', { name: 'Improve' }).click();

  const preview = view.getByRole('region', { name: 'AI suggestion' });
  await preview.getByText('Hello! Your refund has been processed.').waitFor();
  // Nothing replaced yet: the draft stays until Accept.
  assert.equal(await box.inputValue(), 'hi ur refund is done');
  await checkA11y(page, 'the AI suggestion preview');

  // The stub got the model, the key and the draft; the browser never sees the key.
  assert.equal(env.stub.seen.length, 1);
  const [seen] = env.stub.seen;
  assert.equal(seen.path, '/v1/chat/completions');
  assert.equal(seen.auth, `Bearer ${KEY}`);
  assert.equal(seen.body.model, 'stub-model');
  assert.equal(seen.body.messages.at(-1).content, 'hi ur refund is done');
  assert.ok(!(await page.content()).includes(KEY));

  await preview.getByRole('button', { name: 'Accept' }).click();
  await preview.waitFor({ state: 'detached' });
  assert.equal(await box.inputValue(), 'Hello! Your refund has been processed.');

  const detail = await (await apiAs(env.server, 'aaron@parley.test'))(`/conversations/${id}`);
  assert.ok(detail.activities.some((a) => a.kind === 'ai_assist' && a.assist === 'improve'), JSON.stringify(detail.activities));
  await box.fill('');
  await page.context().close();
});

test('Summarize → Accept adds the summary as an internal note; Discard drops a suggestion', async () => {
  const page = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  const view = await openConversation(page, 'Mine', 'Dmitri Weber');
  env.stub.mode = 'answer';
  env.stub.answer = 'Summary: Dmitri asked about his order; nothing is open.';
  env.stub.seen.length = 0;

  await menuButton(view).click();
  await view.getByRole('menuitem', { name: 'Summarize the conversation' }).click();
  const preview = view.getByRole('region', { name: 'AI suggestion' });
  await preview.getByText(env.stub.answer).waitFor();
  // The thread went to the model, not a draft.
  assert.match(env.stub.seen[0].body.messages[1].content, /^The conversation, oldest first:\n/);
  await preview.getByRole('button', { name: 'Accept' }).click();
  await timeline(view).getByRole('listitem').filter({ hasText: env.stub.answer }).waitFor();
  assert.equal(await view.getByRole('textbox', { name: 'Message' }).inputValue(), '');

  env.stub.answer = 'Not wanted';
  await view.getByRole('textbox', { name: 'Message' }).fill('thanks');
  await menuButton(view).click();
  await view.getByRole('menuitem', { name: 'Shorten' }).click();
  await preview.getByText('Not wanted').waitFor();
  await preview.getByRole('button', { name: 'Discard' }).click();
  await preview.waitFor({ state: 'detached' });
  assert.equal(await view.getByRole('textbox', { name: 'Message' }).inputValue(), 'thanks');
  await view.getByRole('textbox', { name: 'Message' }).fill('');
  await page.context().close();
});

test('the menu by keyboard; a model that hangs gives a readable timeout', async () => {
  const page = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  const view = await openConversation(page, 'Mine', 'Dmitri Weber');
  const box = view.getByRole('textbox', { name: 'Message' });
  await box.fill('Please wait');
  const button = menuButton(view);
  await button.focus();
  await page.keyboard.press('ArrowDown');
  const items = view.getByRole('menuitem');
  await eventually(async () => assert.ok(await focused(items.nth(0))));
  assert.equal(await button.getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('ArrowUp');
  await eventually(async () => assert.ok(await focused(items.nth(6))));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await eventually(async () => assert.ok(await focused(items.nth(1))));
  // Escape closes the menu and gives the focus back to its button.
  await page.keyboard.press('Escape');
  await view.getByRole('menu').waitFor({ state: 'hidden' });
  await eventually(async () => assert.ok(await focused(button)));

  env.stub.mode = 'hang';
  await page.keyboard.press('Enter');
  await eventually(async () => assert.ok(await focused(items.nth(0))));
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  // Busy while waiting, then the error in words.
  await view.getByRole('button', { name: 'Asking the AI…' }).waitFor();
  await view.getByRole('status').filter({ hasText: 'The AI service did not answer within 15 seconds. Please try again.' })
    .waitFor({ timeout: 10000 });
  assert.equal(await box.inputValue(), 'Please wait');
  env.stub.mode = 'answer';
  await box.fill('');
  await page.context().close();
});

test('without --ai-url there is no AI assist menu', async () => {
  const page = await signIn(env.browser, env.plain.base, 'aaron@parley.test');
  const view = await openConversation(page, 'Mine', 'Dmitri Weber');
  await view.getByRole('textbox', { name: 'Message' }).waitFor();
  assert.equal(await menuButton(view).count(), 0);
  await page.context().close();
});
