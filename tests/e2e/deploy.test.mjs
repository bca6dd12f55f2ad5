// One dist/, served by a static host of the test's own under /support/parley/ (with an
// index.html fallback and no Content-Security-Policy), talking to parley-server on
// another origin through config.json's api_base and --allow-origin (issue 12, items 1-3).

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';

import {
  distWith, eventually, freePort, inboxLink, inboxes, launchBrowser, liveConnection, newCount, openConversation,
  serveStatic, startServer, timeline,
} from './helpers.mjs';

const PREFIX = '/support/parley/';
let server, host, root, browser;

before(async () => {
  const port = await freePort();
  const appOrigin = `http://127.0.0.1:${port}`;
  server = await startServer({ staticDir: null, args: ['--allow-origin', appOrigin] });
  root = distWith({ api_base: `${server.base}/api/v1` });
  host = await serveStatic(root, { prefix: PREFIX, port });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await host?.close();
  await server?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

test('signs in under the prefix, sees a live message, and a deep link survives a reload', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  const failures = [];
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') failures.push(`console: ${m.text()}`); });
  // Every request goes under the prefix on the static host, or to the API's origin.
  const elsewhere = [];
  page.on('request', (r) => {
    const url = r.url();
    const ours = url.startsWith(`${host.base}${PREFIX}`) || url.startsWith(`${server.base}/api/v1/`);
    // The first address, the prefix without its slash, is the host's to redirect.
    if (!ours && url !== `${host.base}${PREFIX.slice(0, -1)}`) elsewhere.push(url);
  });
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));

  // The prefix without its slash leads to the app; signed out, to its sign-in page.
  await page.goto(`${host.base}${PREFIX.slice(0, -1)}`);
  await page.waitForURL(`${host.base}${PREFIX}sign-in`);
  await page.getByLabel('Email').fill('olivia@parley.test');
  await page.getByLabel('Password').fill('parley-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await inboxes(page).waitFor();
  await liveConnection(page);
  assert.ok(page.url().startsWith(`${host.base}${PREFIX}inbox/`), page.url());
  assert.deepEqual(sockets, [`${server.base.replace('http', 'ws')}/api/v1/ws`]);

  // A customer writes in: it arrives live, over the socket to the other origin.
  await inboxLink(page, 'Mine').click();
  await server.inbound('k-009', 'ch-whatsapp', 'Hello from far away');
  await eventually(async () => assert.equal(await newCount(page, 'All'), 1));

  // A deep link to the conversation, reloaded: the host's fallback serves index.html,
  // which finds its assets and config.json under the prefix.
  const view = await openConversation(page, 'All', 'Inès García');
  await timeline(view).getByText('Hello from far away').waitFor();
  const deep = page.url();
  assert.match(deep, new RegExp(`^${host.base}${PREFIX}inbox/all/c/`));
  await page.reload();
  const again = page.getByRole('region', { name: 'Conversation with Inès García' });
  await timeline(again).getByText('Hello from far away').waitFor();
  assert.equal(page.url(), deep);

  // Links are relative to the prefix too: the side panel's lead there.
  assert.equal(await inboxLink(page, 'Mine').getAttribute('href'), 'inbox/mine');
  await inboxLink(page, 'Mine').click();
  await page.waitForURL(`${host.base}${PREFIX}inbox/mine`);
  // Back returns to the conversation, without a page load.
  await page.goBack();
  await again.waitFor();
  assert.equal(page.url(), deep);

  assert.deepEqual(elsewhere, []);
  assert.deepEqual(failures, []);
});

test('a malformed config.json shows a readable error page, not a blank screen', async () => {
  const bad = distWith('{"api_base": "https://api.example.com", "theme": {"mode": "dusk"}}');
  const other = await serveStatic(bad, { prefix: PREFIX });
  try {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${other.base}${PREFIX}inbox/mine`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /^Parley cannot start\. config\.json is not valid: unknown variant `dusk`/);
    assert.match(text, /fix config\.json/);
    assert.equal(await page.getByLabel('Email').count(), 0);
  } finally {
    await other.close();
    rmSync(bad, { recursive: true, force: true });
  }
});

test("a missing config.json gives the defaults: the API on the page's own origin", async () => {
  // parley-server serves both the app, without a config.json, and the API.
  const page = await (await browser.newContext()).newPage();
  const plain = distWith('{}');
  rmSync(`${plain}/config.json`);
  const same = await startServer({ staticDir: plain });
  try {
    // A deep link, signed out: the sign-in page, then back to the app's home.
    await page.goto(`${same.base}/inbox/mine`);
    await page.waitForURL(`${same.base}/sign-in`);
    await page.getByLabel('Email').fill('olivia@parley.test');
    await page.getByLabel('Password').fill('parley-demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await inboxes(page).waitFor();
    await liveConnection(page);
  } finally {
    await same.stop();
    rmSync(plain, { recursive: true, force: true });
  }
});
