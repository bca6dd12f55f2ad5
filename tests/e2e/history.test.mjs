// A long conversation: it opens at its newest messages; scrolling up loads the older ones
// page by page, and what the agent was reading stays where it was.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { eventually, openConversation, signIn, timeline, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

test('scrolling up loads older messages and keeps the scroll anchored', async () => {
  // 120 messages from Bruno Lefèvre (k-002, unassigned, on Messenger): pages are 50.
  for (let i = 1; i <= 120; i++) await env.server.inbound('k-002', 'ch-messenger', `history line ${i}`);
  const page = await signIn(env.browser, env.server.base, 'max@parley.test');
  const view = await openConversation(page, 'Unassigned', 'Bruno Lefèvre');
  const log = timeline(view);
  await log.getByText('history line 120', { exact: true }).waitFor();
  assert.equal(await log.getByText('history line 1', { exact: true }).count(), 0);

  for (let round = 0; round < 4 && (await log.getByText('history line 1', { exact: true }).count()) === 0; round++) {
    const text = await log.locator('.message__text').first().innerText();
    // Scroll up as an agent does, with the wheel, to the top: older messages load.
    await log.hover();
    await page.mouse.wheel(0, -20_000);
    await eventually(async () => assert.notEqual(await log.locator('.message__text').first().innerText(), text));
    // Anchored: the message that was at the top is still on screen, not pushed a page
    // down by what loaded above it.
    const same = log.getByText(text, { exact: true });
    await eventually(async () => {
      const y = (await same.boundingBox()).y;
      assert.ok(y >= 0 && y < 900, `${text} at y=${y}`);
    });
  }
  await log.getByText('history line 1', { exact: true }).waitFor();
});
