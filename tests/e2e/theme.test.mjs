// config.json's theme (issue 12, item 6): light, dark, or the system's scheme; an accent
// and a logo. Both schemes pass axe's contrast checks on the main screens.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { checkA11y, distWith, inboxes, launchBrowser, liveConnection, openConversation, startServer } from './helpers.mjs';

let browser;
const started = [];

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  for (const { server, dir } of started) {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** parley-server serving the app with `config` as its config.json. */
async function serve(config) {
  const dir = distWith(config);
  const server = await startServer({ staticDir: dir });
  started.push({ server, dir });
  return server;
}

/** The page's scheme, by its background's luminance, and the sign-in button's colours. */
async function look(page) {
  return page.evaluate(() => {
    const rgb = (c) => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
    const [r, g, b] = rgb(getComputedStyle(document.body).backgroundColor);
    const button = document.querySelector('button[type=submit]');
    return {
      dark: (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.5,
      theme: document.documentElement.dataset.theme ?? null,
      button: button && getComputedStyle(button).backgroundColor,
      logo: document.querySelector('img.brand-logo')?.getAttribute('src') ?? null,
    };
  });
}

async function signIn(page, base) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel('Email').fill('olivia@parley.test');
  await page.getByLabel('Password').fill('parley-demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await inboxes(page).waitFor();
  await liveConnection(page);
}

test('mode auto follows the system; light and dark hold against it', async () => {
  const rows = [
    [{}, 'light', { dark: false, theme: null }],
    [{}, 'dark', { dark: true, theme: null }],
    [{ theme: { mode: 'light' } }, 'dark', { dark: false, theme: 'light' }],
    [{ theme: { mode: 'dark' } }, 'light', { dark: true, theme: 'dark' }],
  ];
  for (const [config, colorScheme, expected] of rows) {
    const server = await serve(config);
    const page = await (await browser.newContext({ colorScheme })).newPage();
    await page.goto(`${server.base}/sign-in`);
    await page.getByLabel('Email').waitFor();
    const { dark, theme } = await look(page);
    assert.deepEqual({ dark, theme }, expected, `${JSON.stringify(config)} on a ${colorScheme} system`);
  }
});

test('the dark theme, with an accent and a logo, passes axe on sign-in, the inbox and a conversation', async () => {
  const server = await serve({ theme: { mode: 'dark', accent: '#0a6cff', logo: 'favicon.svg' } });
  const problems = [];
  const audit = async (page, where) => checkA11y(page, where).catch((e) => problems.push(e.message));
  for (const [width, height] of [[1440, 900], [375, 812]]) {
    const page = await (await browser.newContext({ viewport: { width, height }, colorScheme: 'light' })).newPage();
    await page.goto(`${server.base}/sign-in`);
    await page.getByLabel('Email').waitFor();
    const { dark, button, logo } = await look(page);
    assert.ok(dark, 'dark although the system is light');
    assert.equal(button, 'rgb(10, 108, 255)');
    assert.equal(logo, 'favicon.svg');
    await audit(page, `dark sign-in at ${width} px`);
    await signIn(page, server.base);
    await audit(page, `dark inbox at ${width} px`);
    if (width > 1000) {
      await openConversation(page, 'All', 'Jonas Novak');
      await audit(page, `dark conversation at ${width} px`);
    }
  }
  assert.deepEqual(problems, []);
});
