// Chaos: two agents work for 70 s while customers keep writing in, and the network and
// the server misbehave under them — frames delayed by 2 s, the server killed with SIGKILL
// (once idle, once as a reply leaves) and restarted on the same database, both agents'
// connections cut by a TCP proxy and restored, the answer to a committed send lost. A
// reply written while disconnected waits in the persisted outbox (shown as waiting, kept
// across a reload) and is sent exactly once afterwards.
// At the end each agent's side panel, list and open thread equal what a fresh reload
// shows, and the server holds every message exactly once.

import assert from 'node:assert/strict';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import {
  apiAs, eventually, inboxes, launchBrowser, linkNames, openConversation, signIn, startServer, timeline,
} from './helpers.mjs';

/**
 * A TCP proxy in front of `port()` that the test controls. Each client connection is
 * told apart by its first bytes: a WebSocket upgrade, or plain HTTP (a browser never
 * sends a request on a WebSocket's connection, nor upgrades a pooled HTTP one).
 * - `cut({ http, sockets })` destroys the current connections of those kinds and
 *   refuses new ones (by default both);
 * - `restore()` accepts everything again;
 * - `delay(ms)` holds every server→client chunk `ms` before passing it on (order kept).
 */
async function startProxy(port) {
  const refused = { http: false, sockets: false };
  let delayMs = 0;
  const open = new Set();
  const server = net.createServer((client) => {
    client.on('error', () => {});
    if (refused.http && refused.sockets) return client.destroy();
    client.once('data', (first) => {
      const kind = /^upgrade:\s*websocket/im.test(first.toString('latin1')) ? 'sockets' : 'http';
      if (refused[kind]) return client.destroy();
      const upstream = net.connect(port(), '127.0.0.1');
      const conn = { kind, client, upstream };
      open.add(conn);
      const end = () => {
        open.delete(conn);
        client.destroy();
        upstream.destroy();
      };
      upstream.on('error', end);
      client.on('error', end);
      upstream.write(first);
      client.on('data', (chunk) => upstream.write(chunk));
      client.on('close', end);
      // Server → client: each chunk leaves at arrival + delay, never before the one ahead of it.
      let chain = Promise.resolve();
      upstream.on('data', (chunk) => {
        const at = Date.now() + delayMs;
        chain = chain.then(async () => {
          if (at > Date.now()) await sleep(at - Date.now());
          if (!client.destroyed) client.write(chunk);
        });
      });
      upstream.on('close', () => chain.then(end));
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    cut({ http = true, sockets = true } = {}) {
      Object.assign(refused, { http, sockets });
      for (const conn of open) {
        if (refused[conn.kind]) {
          conn.client.destroy();
          conn.upstream.destroy();
          open.delete(conn);
        }
      }
    },
    restore() {
      Object.assign(refused, { http: false, sockets: false });
    },
    delay(ms) {
      delayMs = ms;
    },
    close() {
      for (const conn of open) conn.client.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * Customers writing in all along, as a channel webhook would (straight to the server,
 * not through the proxy): one message every `every` ms, round the `contacts`. `pause()`
 * waits for the message in flight, so none is lost to a kill half-way.
 */
function simulator(getServer, contacts, every = 1500) {
  const sent = [];
  let paused = false;
  let stopped = false;
  let current = Promise.resolve();
  const loop = (async () => {
    for (let i = 0; !stopped; i++) {
      await sleep(every);
      if (paused || stopped) continue;
      const [contact, channel] = contacts[i % contacts.length];
      const text = `Customer ${contact} says ${i}`;
      current = getServer().inbound(contact, channel, text).then(() => sent.push({ contact, text }));
      await current;
    }
  })();
  // A failed webhook fails the test when it stops the simulator, not as a stray rejection.
  loop.catch(() => {});
  return {
    sent,
    async pause() {
      paused = true;
      await current;
    },
    resume() {
      paused = false;
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

let server;
let proxy;
let browser;
let customers;

before(async () => {
  server = await startServer();
  proxy = await startProxy(() => server.port);
  browser = await launchBrowser();
});

after(async () => {
  await customers?.stop().catch(() => {});
  await browser?.close();
  await proxy?.close();
  await server?.stop();
});

const status = (page, words) => page.getByRole('status').filter({ hasText: words });
const messageItem = (view, text) => timeline(view).getByRole('listitem').filter({ hasText: text });

/** Sends a reply from the composer of `view`. */
async function reply(view, text) {
  const composer = view.getByRole('textbox', { name: 'Message' });
  await composer.fill(text);
  await composer.press('Enter');
  await eventually(async () => assert.equal(await composer.inputValue(), ''));
}

/** A message's text as shown, with its delivery words ("Sent", "Waiting to send"); it must be there once. */
async function shown(view, text) {
  const item = messageItem(view, text);
  assert.equal(await item.count(), 1, `"${text}" is shown once`);
  return item.innerText();
}

/** Waits for the live connection (the reconnection backoff may be up to 10 s by then). */
const live = (page) => status(page, /^Live$/).waitFor({ timeout: 20_000 });

/**
 * What an agent sees: every side-panel inbox's accessible name (open count, dots), the
 * list's items, and the open thread (its "New messages" divider aside: it marks where
 * reading stopped when the conversation was opened, not data).
 */
async function snapshot(page, inbox) {
  const panel = await linkNames(inboxes(page));
  // A row's name ends with its SLA clock's words, which follow the minute, not the data.
  const list = (await linkNames(page.getByRole('list', { name: inbox, exact: true })))
    .map((name) => name.replace(/ SLA: [^:]*$/, ''));
  const thread = await timeline(page.getByRole('region', { name: /^Conversation with / })).getByRole('listitem')
    .evaluateAll((items) => items.map((i) => i.innerText.replace(/\s+/g, ' ').trim()).filter((t) => t !== 'New messages'));
  return { panel, list, thread };
}

/** Waits until what `page` shows stops changing (two equal looks a second apart). */
async function settled(page, inbox) {
  let last = await snapshot(page, inbox);
  for (let i = 0; i < 20; i++) {
    await sleep(1000);
    const now = await snapshot(page, inbox);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  throw new Error(`${page.url()} never settled: ${JSON.stringify(last)}`);
}

test('two agents through delays, SIGKILLs and cut connections end where a fresh reload does', { timeout: 240_000 }, async (t) => {
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(0);
  // Bruno Lefèvre (k-002) is unassigned: both agents work in his conversation while
  // Alice (unassigned), Chloé (Aaron's) and Elena (Léa's) keep writing in.
  const aaron = await signIn(browser, proxy.base, 'aaron@parley.test');
  const lea = await signIn(browser, proxy.base, 'lea@parley.test');
  const aaronView = await openConversation(aaron, 'Unassigned', 'Bruno Lefèvre');
  const leaView = await openConversation(lea, 'All', 'Bruno Lefèvre');
  const conversation = new URL(aaron.url()).pathname.split('/c/')[1];
  customers = simulator(() => server, [
    ['k-002', 'ch-messenger'], ['k-001', 'ch-whatsapp'], ['k-003', 'ch-instagram'], ['k-005', 'ch-webchat'],
  ]);
  const replies = [];
  const notes = [];
  const send = async (text) => {
    replies.push(text);
    await reply(aaronView, text);
  };
  /** Léa writes an internal note (note mode on, then off again). */
  const note = async (text) => {
    notes.push(text);
    const mode = leaView.getByRole('button', { name: 'Internal note' });
    await mode.click();
    await reply(leaView, text);
    await mode.click();
  };
  /** Waits until both agents see Aaron's reply `text` as sent. */
  const sentForBoth = async (text) => {
    for (const view of [aaronView, leaView]) {
      await eventually(async () => assert.match(await shown(view, text), /\bSent\b/), 15_000);
    }
  };
  /** Starts the server again on the same database and port; both agents come back live. */
  const restart = async ({ dir, port }) => {
    server = await startServer({ dir, port });
    customers.resume();
    for (const page of [aaron, lea]) await live(page);
  };

  // Calm: a reply (which assigns Bruno to Aaron) and Léa's internal note.
  await send('First answer, all calm');
  await note('Note: Bruno called too');
  for (const view of [aaronView, leaView]) await messageItem(view, 'Note: Bruno called too').waitFor();
  await sentForBoth('First answer, all calm');

  // Every frame from the server arrives 2 s late, for a while: a reply, Léa takes Bruno
  // over, Aaron takes Alice from his Unassigned list.
  t.diagnostic(`${seconds()} s: frames delayed by 2 s`);
  proxy.delay(2000);
  const delayed = Date.now();
  await send('Second answer, over a slow network');
  await leaView.getByRole('button', { name: /^Assignee: / }).click();
  await leaView.getByRole('combobox', { name: 'Search users' }).fill('lea');
  await leaView.getByRole('listbox', { name: 'Users' }).getByRole('option', { name: 'Léa Moreau' }).click();
  const unassigned = aaron.getByRole('list', { name: 'Unassigned', exact: true });
  const alice = unassigned.getByRole('listitem').filter({ has: aaron.getByRole('link', { name: /^Alice Martin,/ }) });
  await alice.getByRole('button', { name: 'Assignee of Alice Martin: Unassigned' }).click();
  await aaron.getByRole('combobox', { name: 'Search users' }).fill('aaron');
  await aaron.getByRole('listbox', { name: 'Users' }).getByRole('option', { name: /Aaron Diallo/ }).click();
  for (const view of [aaronView, leaView]) {
    await eventually(async () => assert.match(await view.getByRole('button', { name: /^Assignee: / }).innerText(), /Léa Moreau/), 15_000);
  }
  await sentForBoth('Second answer, over a slow network');
  await eventually(async () => assert.equal(await alice.count(), 0), 15_000);
  await sleep(Math.max(0, 12_000 - (Date.now() - delayed)));
  proxy.delay(0);

  // SIGKILL, and a reply written while the server is gone.
  t.diagnostic(`${seconds()} s: SIGKILL`);
  await customers.pause();
  const { dir, port } = server;
  await server.kill();
  for (const page of [aaron, lea]) await status(page, /reconnecting/i).waitFor({ timeout: 10_000 });
  const downReply = 'Third answer, written while the server was down';
  await send(downReply);
  assert.match(await shown(aaronView, downReply), /Waiting to send/);
  await sleep(2000);
  await restart({ dir, port });
  await sentForBoth(downReply);

  // Both connections cut: a reply waits in the outbox, survives a reload (the app's
  // files and REST come back first; the live connection stays cut), then goes once.
  t.diagnostic(`${seconds()} s: both connections cut`);
  proxy.cut();
  for (const page of [aaron, lea]) await status(page, /reconnecting/i).waitFor({ timeout: 10_000 });
  const cutReply = 'Fourth answer, written while cut off';
  await send(cutReply);
  assert.match(await shown(aaronView, cutReply), /Waiting to send/);
  await sleep(3000);
  proxy.cut({ http: false, sockets: true });
  await aaron.reload();
  await messageItem(aaronView, cutReply).waitFor({ timeout: 15_000 });
  assert.match(await shown(aaronView, cutReply), /Waiting to send/);
  assert.equal(await status(aaron, /^Live$/).count(), 0, 'the live connection is still cut');
  const asAaron = await apiAs(server, 'aaron@parley.test');
  const onServer = async (text) =>
    (await asAaron(`/conversations/${conversation}`)).messages.items.filter((m) => m.text === text).length;
  assert.equal(await onServer(cutReply), 0, 'nothing was posted while cut');
  await sleep(3000);
  proxy.restore();
  for (const page of [aaron, lea]) await live(page);
  await sentForBoth(cutReply);
  assert.equal(await onServer(cutReply), 1);

  t.diagnostic(`${seconds()} s: close and reopen`);
  // Léa closes the conversation, Aaron reopens it and answers once more. (Bruno keeps
  // quiet meanwhile: a message to a closed conversation would open a new one.)
  await customers.pause();
  await leaView.getByRole('button', { name: 'Close conversation' }).click();
  const dialog = lea.getByRole('dialog', { name: 'Close conversation' });
  await dialog.getByLabel('Closing note').fill('sorted by phone');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  const reopen = aaronView.getByRole('button', { name: 'Reopen' });
  await reopen.waitFor({ timeout: 10_000 });
  await reopen.click();
  await leaView.getByRole('button', { name: 'Close conversation' }).waitFor({ timeout: 10_000 });
  customers.resume();
  await send('Fifth answer, after the reopen');

  // SIGKILL again, right as a reply leaves: whether or not its POST committed, it
  // exists once when the server is back (same client id on the next attempt).
  t.diagnostic(`${seconds()} s: SIGKILL during a send`);
  await customers.pause();
  await sentForBoth('Fifth answer, after the reopen');
  const racing = 'Sixth answer, racing the kill';
  replies.push(racing);
  const composer = aaronView.getByRole('textbox', { name: 'Message' });
  await composer.fill(racing);
  await composer.press('Enter');
  await server.kill();
  await status(aaron, /reconnecting/i).waitFor({ timeout: 10_000 });
  await restart({ dir, port });
  await sentForBoth(racing);

  // The server's answer is lost: the POST commits, the answer is held back and then the
  // connection is cut. The reply waits, and its next attempt (same client id) gets the
  // message the server already has instead of a second one.
  t.diagnostic(`${seconds()} s: an answer lost`);
  proxy.delay(4000);
  const lost = 'Seventh answer, whose answer got lost';
  await send(lost);
  await eventually(async () => assert.equal(await onServer(lost), 1), 3000);
  proxy.cut();
  proxy.delay(0);
  await eventually(async () => assert.match(await shown(aaronView, lost), /Waiting to send/), 5000);
  await sleep(2000);
  proxy.restore();
  for (const page of [aaron, lea]) await live(page);
  await sentForBoth(lost);
  assert.equal(await onServer(lost), 1);

  // Léa gives Alice back to the team from her list.
  const all = lea.getByRole('list', { name: 'All', exact: true });
  const aliceAtLea = all.getByRole('listitem').filter({ has: lea.getByRole('link', { name: /^Alice Martin,/ }) });
  await aliceAtLea.getByRole('button', { name: 'Assignee of Alice Martin: Aaron Diallo' }).click();
  await lea.getByRole('combobox', { name: 'Search users' }).fill('unass');
  await lea.getByRole('listbox', { name: 'Users' }).getByRole('option', { name: /^Unassigned/ }).click();
  await unassigned.getByRole('link', { name: /^Alice Martin,/ }).waitFor({ timeout: 10_000 });

  // Ordinary work until the session has lasted 70 s: customers write, Aaron answers,
  // Léa keeps notes.
  t.diagnostic(`${seconds()} s: steady work`);
  for (let n = 1; Date.now() - started < 70_000; n++) {
    await send(`Steady answer ${n}.`);
    if (n % 2 === 0) await note(`Steady note ${n}.`);
    await sleep(2500);
  }
  await customers.stop();
  await sentForBoth(replies.at(-1));
  t.diagnostic(`${seconds()} s: comparing with fresh reloads`);

  // What each agent sees now is what a fresh load shows.
  for (const [page, view, inbox] of [[aaron, aaronView, 'Unassigned'], [lea, leaView, 'All']]) {
    const before = await settled(page, inbox);
    await page.reload();
    await live(page);
    await eventually(async () => assert.deepEqual(await snapshot(page, inbox), before), 15_000);
    for (const text of [...replies, ...notes]) {
      assert.equal(await messageItem(view, text).count(), 1, `"${text}" once in ${page.url()}`);
    }
  }

  // The server has every reply and every customer message exactly once.
  const asLea = await apiAs(server, 'lea@parley.test');
  const everything = await asLea('/inboxes/all/conversations?status=all&limit=200');
  const texts = [];
  for (const summary of everything.items) {
    const page = await asLea(`/conversations/${summary.id}/messages?limit=200`);
    texts.push(...page.items.map((m) => m.text));
  }
  for (const text of [...replies, ...customers.sent.map((s) => s.text)]) {
    assert.equal(texts.filter((t) => t === text).length, 1, `"${text}" exactly once on the server`);
  }
  assert.ok(customers.sent.length >= 20, `customers wrote ${customers.sent.length} messages`);
  assert.ok(Date.now() - started >= 60_000);
  t.diagnostic(`${seconds()} s: done; customers wrote ${customers.sent.length} messages`);
});
