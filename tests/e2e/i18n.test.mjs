// English and French (issue 12, item 5): a browser whose language is French gets the app
// in French, with the vocabulary of the source articles; the agent switches to English in
// the account menu, the app re-renders in place (no reload), and the choice outlives a
// reload. Then an English browser gets French from config.json's "locale", switches to
// English and keeps it. Elements are found by role and accessible name, in each language.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';

import {
  accessibleNames, checkA11y, distWith, eventually, freePort, serveStatic, startServer, useServerAndBrowser,
} from './helpers.mjs';

const env = useServerAndBrowser();

const nav = (page, name) => page.getByRole('navigation', { name, exact: true });
const lang = (page) => page.evaluate(() => document.documentElement.lang);

let page;

test('a French browser gets the sign-in form in French', async () => {
  const context = await env.browser.newContext({ locale: 'fr-FR', viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  await page.goto(`${env.server.base}/sign-in`);
  await page.getByRole('heading', { name: 'Se connecter à Parley' }).waitFor();
  assert.equal(await lang(page), 'fr');
  await checkA11y(page, 'French sign-in');
  // A refusal is the app's own words, by error code.
  await page.getByLabel('E-mail', { exact: true }).fill('aaron@parley.test');
  await page.getByLabel('Mot de passe', { exact: true }).fill('wrong password');
  await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'E-mail ou mot de passe incorrect.' }).waitFor();
  await page.getByLabel('Mot de passe', { exact: true }).fill('parley-demo');
  await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
  await nav(page, 'Boîtes de réception').waitFor();
  await page.getByRole('status').filter({ hasText: /^En direct$/ }).waitFor({ timeout: 10_000 });
});

test('the side panel, the list and a conversation speak French', async () => {
  const names = await accessibleNames(nav(page, 'Boîtes de réception'), 'link');
  const standard = names.filter((n) => /^(Toutes|À moi|Non attribué), /.test(n));
  assert.equal(standard.length, 3, names.join(' | '));
  for (const name of standard) {
    assert.match(name, /^(Toutes|À moi|Non attribué), (0|1) ouverte(, 1 nouvelle|, \d+ nouvelles)?$|^(Toutes|À moi|Non attribué), \d+ ouvertes(, 1 nouvelle|, \d+ nouvelles)?$/);
  }
  // Team inboxes keep their own names.
  assert.ok(names.some((n) => /^Sales, \d+ ouvertes?/.test(n)), names.join(' | '));

  await nav(page, 'Boîtes de réception').getByRole('link', { name: /^À moi, \d+ ouvertes?/ }).click();
  const list = page.getByRole('list', { name: 'À moi', exact: true });
  await list.getByRole('link').first().click();
  const view = page.getByRole('region', { name: /^Conversation avec / });
  await view.waitFor();
  await view.getByRole('textbox', { name: 'Message', exact: true }).waitFor();
  await view.getByRole('button', { name: 'Envoyer', exact: true }).waitFor();
  await page.getByRole('complementary', { name: 'Détails du contact', exact: true }).waitFor();
  await checkA11y(page, 'French inbox and conversation');

  // A reply goes out from the French composer.
  await view.getByRole('textbox', { name: 'Message', exact: true }).fill('Bonjour, je regarde cela.');
  await view.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await view.getByText('Bonjour, je regarde cela.').waitFor();
});

test('the account menu switches to English in place', async () => {
  const marker = await page.evaluate(() => { window.notReloaded = true; return true; });
  const language = page.getByRole('combobox', { name: 'Langue', exact: true });
  await language.selectOption({ label: 'English' });
  await nav(page, 'Inboxes').waitFor();
  assert.equal(await lang(page), 'en');
  assert.equal(await page.evaluate(() => window.notReloaded), marker, 'switching must not reload the page');
  // The focus stays on the control the agent used.
  await eventually(async () =>
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'account-language'));
  await nav(page, 'Inboxes').getByRole('link', { name: /^Mine, \d+ open/ }).waitFor();
  const view = page.getByRole('region', { name: /^Conversation with / });
  await view.getByRole('button', { name: 'Send', exact: true }).waitFor();
  await page.getByRole('complementary', { name: 'Contact details', exact: true }).waitFor();
  assert.equal(await page.getByRole('combobox', { name: 'Language', exact: true }).inputValue(), 'en');
});

test('the choice outlives a reload, though the browser is French', async () => {
  await page.reload();
  await nav(page, 'Inboxes').waitFor();
  assert.equal(await lang(page), 'en');
  await page.getByRole('status').filter({ hasText: /^Live$/ }).waitFor({ timeout: 10_000 });
  await page.getByRole('region', { name: /^Conversation with / }).getByRole('textbox', { name: 'Message' }).waitFor();
});

test("config.json's locale makes an English browser French, until the agent chooses English", async () => {
  const port = await freePort();
  const server = await startServer({ staticDir: null, args: ['--allow-origin', `http://127.0.0.1:${port}`] });
  const root = distWith({ api_base: `${server.base}/api/v1`, locale: 'fr' });
  const host = await serveStatic(root, { port });
  try {
    const context = await env.browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${host.base}/sign-in`);
    await page.getByRole('heading', { name: 'Se connecter à Parley' }).waitFor();
    assert.equal(await lang(page), 'fr');
    await page.getByLabel('E-mail', { exact: true }).fill('aaron@parley.test');
    await page.getByLabel('Mot de passe', { exact: true }).fill('parley-demo');
    await page.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await nav(page, 'Boîtes de réception').getByRole('link', { name: /^Toutes, \d+ ouvertes?/ }).waitFor();

    await page.getByRole('combobox', { name: 'Langue', exact: true }).selectOption({ label: 'English' });
    await nav(page, 'Inboxes').getByRole('link', { name: /^All, \d+ open/ }).waitFor();
    await page.reload();
    await nav(page, 'Inboxes').waitFor();
    assert.equal(await lang(page), 'en');
    await context.close();
  } finally {
    await host.close();
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
