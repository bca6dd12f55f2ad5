// examples/portal/ embeds the app in an iframe and signs the agent in by single sign-on
// (issue 12, item 4): no sign-in form, the unread totals reach the portal, parley:open
// opens a conversation, and a portal on an origin config.json does not list is ignored.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { apiAs, distWith, eventually, freePort, launchBrowser, serveStatic, startServer } from './helpers.mjs';

const SECRET = 'portal-and-parley-share-this';
const PORTAL_PAGE = readFileSync(new URL('../../examples/portal/index.html', import.meta.url));
let server, app, secretDir, browser, allowed, denied;

/** What the portal's backend does: single sign-on for `email`, answering the token. */
async function sso(email) {
  const expires = Date.now() + 60_000;
  const signature = createHmac('sha256', SECRET).update(`${email}\n${expires}`).digest('hex');
  const res = await fetch(`${server.base}/api/v1/session/sso`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, expires, signature }),
  });
  if (!res.ok) throw new Error(`sso: ${res.status} ${await res.text()}`);
  return (await res.json()).token;
}

/** The portal: its page, and its backend's token endpoint for the signed-in agent. */
async function portal(host, port) {
  return serveStatic(secretDir, {
    host,
    port,
    routes: {
      '/': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end(PORTAL_PAGE);
      },
      '/parley-token': async (_req, res) => {
        const token = await sso('olivia@parley.test');
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ token }));
      },
    },
  });
}

before(async () => {
  secretDir = mkdtempSync(join(tmpdir(), 'parley-sso-'));
  writeFileSync(join(secretDir, 'sso-secret'), `${SECRET}\n`);
  const [allowedPort, deniedPort] = [await freePort(), await freePort()];
  // 127.0.0.2 is loopback too, and another origin: a portal config.json does not list.
  const [allowedOrigin, deniedOrigin] = [`http://127.0.0.1:${allowedPort}`, `http://127.0.0.2:${deniedPort}`];
  app = distWith({ embed: { allowed_origins: [allowedOrigin] } });
  server = await startServer({
    staticDir: app,
    args: ['--sso-secret-file', join(secretDir, 'sso-secret'),
      '--frame-ancestors', allowedOrigin, '--frame-ancestors', deniedOrigin],
  });
  allowed = await portal('127.0.0.1', allowedPort);
  denied = await portal('127.0.0.2', deniedPort);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await allowed?.close();
  await denied?.close();
  await server?.stop();
  for (const dir of [app, secretDir]) if (dir) rmSync(dir, { recursive: true, force: true });
});

async function openPortal(base) {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  const frameUrls = [];
  page.on('framenavigated', (f) => { if (f !== page.mainFrame()) frameUrls.push(f.url()); });
  await page.goto(`${base}/?app=${encodeURIComponent(`${server.base}/`)}`);
  return { page, frame: page.frameLocator('iframe[title="Parley"]'), frameUrls };
}

const totals = async (page) => {
  const m = (await page.getByRole('status').innerText()).match(/^Parley: (\d+) new, (\d+) open$/);
  assert.ok(m, 'the portal shows the totals');
  return { new: Number(m[1]), open: Number(m[2]) };
};

test('the portal signs the agent in without the form, hears the totals, and opens a conversation', async () => {
  const { page, frame, frameUrls } = await openPortal(allowed.base);
  await frame.getByRole('navigation', { name: 'Inboxes' }).waitFor();
  await frame.getByRole('status').filter({ hasText: /^Live$/ }).waitFor();
  assert.ok(!frameUrls.some((u) => u.includes('/sign-in')), frameUrls.join(' '));
  assert.equal(await frame.getByLabel('Password').count(), 0);

  // The totals the portal shows are the side panel's: All's open count, and the dots.
  const allOpen = async () =>
    Number((await frame.getByRole('link', { name: /^All, \d+ open/ }).innerText()).match(/\d+/)[0]);
  await eventually(async () => assert.deepEqual(await totals(page), { new: 0, open: await allOpen() }));
  const before = await totals(page);
  // Kaito Khan (unassigned) writes in: one more dot (Unassigned's), and All's open count
  // as the side panel shows it.
  await fetch(`${server.base}/api/v1/simulator/inbound`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ contact: 'k-011', channel: 'ch-instagram', text: 'Hello through the portal' }),
  });
  await eventually(async () => assert.deepEqual(await totals(page), { new: before.new + 1, open: await allOpen() }));

  // parley:open, with an id from the API.
  const get = await apiAs(server, 'olivia@parley.test');
  const { items } = await get('/inboxes/all/conversations?limit=100');
  const jonas = items.find((c) => c.contact.name === 'Jonas Novak');
  assert.ok(jonas, 'Jonas Novak has a conversation');
  await page.getByLabel('Conversation id').fill(jonas.id);
  await page.getByRole('button', { name: 'Open in Parley' }).click();
  await frame.getByRole('region', { name: 'Conversation with Jonas Novak' }).waitFor();

  // Signing out in the app tells the portal.
  await frame.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('status').filter({ hasText: 'Parley: signed out' }).waitFor();
});

test('a portal whose origin config.json does not list is ignored, even with a valid token', async () => {
  const { page, frame } = await openPortal(denied.base);
  const token = await sso('olivia@parley.test');
  // The app posted parley:ready to the allowed origin only: this portal heard nothing,
  // so it posts a session of its own. The app ignores it, and after its wait for a
  // portal, shows its own sign-in form.
  // The app is up (it waits for a portal's session), so it hears the message.
  await frame.getByText('Loading Parley…').waitFor();
  await page.evaluate(
    ({ token, origin }) => document.querySelector('iframe').contentWindow.postMessage({ type: 'parley:session', token }, origin),
    { token, origin: server.base },
  );
  await frame.getByLabel('Password').waitFor({ timeout: 20_000 });
  assert.equal(await frame.getByRole('navigation', { name: 'Inboxes' }).count(), 0);
  assert.equal(await page.getByRole('status').innerText(), 'Parley is starting…');
});
