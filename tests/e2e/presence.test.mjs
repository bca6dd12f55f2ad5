// Collision avoidance: an agent sees who else is viewing or typing in the conversation
// they have open, and stops seeing it when the other leaves.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { eventually, openConversation, signIn, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

test('two agents in one conversation see each other viewing and typing', async () => {
  const aaron = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  const max = await signIn(env.browser, env.server.base, 'max@parley.test');
  const aaronView = await openConversation(aaron, 'Mine', 'Chloé Farouk');
  const maxView = await openConversation(max, 'All', 'Chloé Farouk');
  const presence = (view) => view.getByRole('status', { name: 'Presence' });

  // Max arrived second: Aaron hears of him at once; Max of Aaron at the next heartbeat.
  await eventually(async () => assert.equal(await presence(aaronView).innerText(), 'Max Martin is viewing'));
  await eventually(async () => assert.equal(await presence(maxView).innerText(), 'Aaron Diallo is viewing'), 15_000);

  await aaronView.getByRole('textbox', { name: 'Message' }).pressSequentially('Hello Chl', { delay: 30 });
  await eventually(async () => assert.equal(await presence(maxView).innerText(), 'Aaron Diallo is typing…'));

  // Aaron moves to another conversation: Max stops seeing him at once.
  await openConversation(aaron, 'Mine', 'Dmitri Weber');
  await eventually(async () => assert.equal(await presence(maxView).innerText(), ''));
  // And the view Aaron moved to does not show Max.
  const dmitri = aaron.getByRole('region', { name: 'Conversation with Dmitri Weber' });
  assert.equal(await presence(dmitri).innerText(), '');
  await aaron.context().close();
  await max.context().close();
});
