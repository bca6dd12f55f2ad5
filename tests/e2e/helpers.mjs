// Shared by the browser tests: a real parley-server on a fresh SQLite file, headless
// Chromium driven by playwright-core, and small helpers that find things the way a
// screen-reader user would: by role and accessible name.

import { spawn } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the browser tests with \`cargo xtask test\``);
  return v;
};

export async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Starts parley-server with the demo fixture on a fresh database. `args` adds flags;
 * `staticDir` is the app it serves (`null`: the API alone); `db` another database (a
 * PostgreSQL URL, which the fixture seeds only while it is empty).
 */
export async function startServer({ dir, port, db, args = [], staticDir = env('PARLEY_DIST') } = {}) {
  dir ??= mkdtempSync(join(tmpdir(), 'parley-e2e-'));
  port ??= await freePort();
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(env('PARLEY_SERVER_BIN'), [
    '--listen', `127.0.0.1:${port}`,
    '--db', db ?? join(dir, 'parley.sqlite3'),
    '--fixture', env('PARLEY_FIXTURE'),
    ...(staticDir ? ['--static', staticDir] : []),
    '--simulator',
    '--test-clock',
    ...args,
  ], { stdio: ['ignore', 'inherit', 'inherit'] });
  let exited = false;
  proc.on('exit', () => { exited = true; });
  for (let i = 0; i < 200; i++) {
    if (exited) throw new Error('parley-server exited at start');
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.ok) break;
    } catch { /* not up yet */ }
    await sleep(50);
  }
  return {
    base,
    dir,
    port,
    /** Makes a customer write in, as a channel webhook would. */
    async inbound(contact, channel, text) {
      const res = await fetch(`${base}/api/v1/simulator/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contact, channel, text }),
      });
      if (res.status !== 201) throw new Error(`inbound: ${res.status} ${await res.text()}`);
      return res.json();
    },
    /** The contact calls in (`ring`) or hangs up (`hangup`), as a telephony webhook would. */
    async call(contact, action) {
      const res = await fetch(`${base}/api/v1/simulator/call`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contact, action }),
      });
      if (!res.ok) throw new Error(`simulator call: ${res.status} ${await res.text()}`);
      return res.json();
    },
    /** A web-chat visitor arrives on (`online`) or leaves the page. */
    async presence(contact, online) {
      const res = await fetch(`${base}/api/v1/simulator/presence`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ contact, online }),
      });
      if (res.status !== 204) throw new Error(`presence: ${res.status} ${await res.text()}`);
    },
    /** Kills the server at once (SIGKILL: no shutdown, sockets cut mid-frame); the database stays. */
    async kill() {
      if (exited) return;
      const gone = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGKILL');
      await gone;
    },
    async stop({ keep = false } = {}) {
      if (!exited) {
        const gone = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGINT');
        await Promise.race([gone, sleep(3000).then(() => proc.kill('SIGKILL'))]);
      }
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A TCP load balancer on a free port in front of server `ports`: each connection (HTTP or
 * WebSocket) goes to the first that accepts it, so when one dies the next connections go
 * to the next one, as behind a reverse proxy with health checks. No sticky sessions.
 */
export async function failoverProxy(ports) {
  const connect = (i) => new Promise((resolve, reject) => {
    if (i >= ports.length) return reject(new Error('no server accepts'));
    const upstream = net.connect(ports[i], '127.0.0.1');
    upstream.once('connect', () => resolve(upstream));
    upstream.once('error', () => connect(i + 1).then(resolve, reject));
  });
  const open = new Set();
  const proxy = net.createServer(async (client) => {
    open.add(client);
    client.on('error', () => client.destroy());
    client.on('close', () => open.delete(client));
    let upstream;
    try {
      upstream = await connect(0);
    } catch {
      client.destroy();
      return;
    }
    // A server that dies cuts its side: the browser's side is cut too, and it reconnects.
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const port = await new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(proxy.address().port)));
  return {
    base: `http://127.0.0.1:${port}`,
    async close() {
      for (const c of open) c.destroy();
      await new Promise((r) => proxy.close(r));
    },
  };
}

/** Chromium flags for a fake microphone that needs no permission prompt. */
export const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/** Headless Chromium; `args` adds flags (e.g. {@link FAKE_MEDIA}). */
export async function launchBrowser({ args = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
      ...args,
    ],
  });
}

/**
 * A test file's fixtures: a fresh server and a browser for all its tests, stopped after
 * them. Read `env.server` and `env.browser` inside tests (they exist once `before` ran).
 */
export function useServerAndBrowser({ browserArgs = [] } = {}) {
  const env = { server: undefined, browser: undefined };
  before(async () => {
    env.server = await startServer();
    env.browser = await launchBrowser({ args: browserArgs });
  });
  after(async () => {
    await env.browser?.close();
    await env.server?.stop();
  });
  return env;
}

/**
 * A fresh browser session (its own storage) signed in as `email`. `beforeLoad(page)`
 * runs before the app loads (e.g. `(page) => page.clock.install()`); `timezoneId` is the
 * browser's time zone (an IANA name; default the machine's).
 */
export async function signIn(browser, base, email, password = 'parley-demo', { beforeLoad, timezoneId } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, timezoneId });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error(`[page error ${email}]`, e.message));
  page.on('console', (m) => { if (m.type() === 'error') console.error(`[console ${email}]`, m.text()); });
  await beforeLoad?.(page);
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await inboxes(page).waitFor();
  await liveConnection(page);
  return page;
}

/** The side panel landmark. */
export const inboxes = (page) => page.getByRole('navigation', { name: 'Inboxes' });

/** The side-panel link of an inbox, by the start of its accessible name. */
export const inboxLink = (page, name) =>
  inboxes(page).getByRole('link', { name: new RegExp(`^${name}, \\d+ open`) });

/**
 * The accessible names of the elements of `role` in `locator` (itself one, or holding
 * some), as a screen reader gets them: from Playwright's ARIA snapshot, so names made of
 * visually hidden text read the same as `aria-label`s did.
 */
export async function accessibleNames(locator, role) {
  const tree = await locator.ariaSnapshot();
  // `- link "name"`, or `- 'link "name"'` when YAML needs quotes (a ": " or "#" in the
  // name), where an apostrophe is written twice.
  const line = new RegExp(`^\\s*- ('?)${role} "((?:[^"\\\\]|\\\\.)*)"`, 'gm');
  return [...tree.matchAll(line)].map(([, quoted, name]) => JSON.parse(`"${quoted ? name.replaceAll("''", "'") : name}"`));
}

/** The accessible names of the links in `locator` (itself a link, or holding some). */
export const linkNames = (locator) => accessibleNames(locator, 'link');

/** The accessible name of one link. */
export const linkName = async (locator) => (await linkNames(locator))[0] ?? '';

/** The accessible name of an inbox link, e.g. "Mine, 3 open, 1 new". */
export const inboxName = (page, name) => linkName(inboxLink(page, name));

/** The blue-dot number of an inbox per its accessible name (0 when no dot). */
export async function newCount(page, name) {
  const m = (await inboxName(page, name)).match(/, (\d+) new$/);
  return m ? Number(m[1]) : 0;
}

/** Waits until the app says its live connection is up. */
export async function liveConnection(page) {
  await page.getByRole('status').filter({ hasText: /^Live$/ }).waitFor({ timeout: 10_000 });
}

/** Retries `check` until it stops throwing (or the timeout passes, rethrowing). */
export async function eventually(check, timeout = 5000) {
  const end = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > end) throw e;
      await sleep(100);
    }
  }
}

/** `{inbox: new count}` for every listed inbox name, for one-line assertions. */
export async function dots(page, names) {
  const out = {};
  for (const n of names) out[n] = await newCount(page, n);
  return out;
}

/**
 * Moves the server's clock to `offsetMs` from real time (`--test-clock`); the server
 * pushes a `clock` frame to every socket, so SLA colours and snoozes follow at once.
 */
export async function setClock(server, offsetMs) {
  const res = await fetch(`${server.base}/api/v1/test/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ offset_ms: offsetMs }),
  });
  if (!res.ok) throw new Error(`test clock: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A session token for `email`, from the API's sign-in. */
async function tokenOf(server, email, password = 'parley-demo') {
  const res = await fetch(`${server.base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 201) throw new Error(`sign in: ${res.status} ${await res.text()}`);
  return (await res.json()).token;
}

/** A REST client signed in as `email`, for facts the UI does not print. */
export async function apiAs(server, email, password = 'parley-demo') {
  const token = await tokenOf(server, email, password);
  return async (path) => {
    const r = await fetch(`${server.base}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
    if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
    return r.json();
  };
}

/**
 * `method path` with a JSON `body` as `email` (signed in for the call), for changes made
 * by someone without a browser: `{ status, text }` of the answer.
 */
export async function requestAs(server, email, method, path, body) {
  const token = await tokenOf(server, email);
  const res = await fetch(`${server.base}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

/** Opens `contact`'s conversation from the side-panel inbox `inbox`; returns its region. */
export async function openConversation(page, inbox, contact) {
  await inboxLink(page, inbox).click();
  const list = page.getByRole('list', { name: inbox, exact: true });
  await list.waitFor();
  await list.getByRole('link', { name: new RegExp(`^${contact}`) }).click();
  const view = page.getByRole('region', { name: `Conversation with ${contact}` });
  await view.waitFor();
  return view;
}

/** The timeline of a conversation region. */
export const timeline = (view) => view.getByRole('log', { name: 'Messages' });

/** Whether `locator`'s element has the keyboard focus. */
export const focused = (locator) => locator.evaluate((el) => el === document.activeElement);

/**
 * Runs axe-core with the WCAG 2.2 AA rules on the page as it stands and fails on any
 * serious or critical violation, naming the rule and the elements. `where` says which
 * screen, for the message.
 */
export async function checkA11y(page, where) {
  const { default: AxeBuilder } = await import('@axe-core/playwright');
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}${v.nodes.length > 4 ? ` … ${v.nodes.length} in all` : ''}`);
  if (serious.length) throw new Error(`${where}: ${serious.length} serious accessibility violations\n  ${serious.join('\n  ')}`);
}

/** A copy of the built app with `config` as its config.json (a temporary folder). */
export function distWith(config) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-dist-'));
  cpSync(env('PARLEY_DIST'), dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

const TYPES = { html: 'text/html', js: 'text/javascript', wasm: 'application/wasm', css: 'text/css',
  svg: 'image/svg+xml', json: 'application/json' };

/**
 * A static host of the test's own, like a CDN: serves `root` under `prefix`, answers
 * index.html for any path there that is not a file (the SPA fallback), and sends no
 * Content-Security-Policy. `routes` maps a path to its own handler. Stop it with `close()`.
 */
export async function serveStatic(root, { prefix = '/', host = '127.0.0.1', port, routes = {} } = {}) {
  port ??= await freePort();
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://host');
    if (routes[pathname]) return routes[pathname](req, res);
    if (prefix !== '/' && pathname === prefix.slice(0, -1)) {
      res.writeHead(301, { location: prefix });
      return res.end();
    }
    if (!pathname.startsWith(prefix)) {
      res.writeHead(404);
      return res.end('not found');
    }
    let file = join(root, decodeURIComponent(pathname.slice(prefix.length)));
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404);
      return res.end('not found');
    }
    res.writeHead(200, { 'content-type': TYPES[file.split('.').pop()] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  return {
    base: `http://${host}:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
