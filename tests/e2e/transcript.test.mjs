// Email transcripts (issue 15, item 2): the server mails through a real SMTP server this
// test starts (aiosmtpd, crates/server/tests/common/smtpd.py, installed by xtask); the
// agent opens "Send transcript", changes the address and sends; the status region says it
// went, and the mail that arrived holds the thread's messages and no internal note.
// Without --smtp the action is not offered.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  apiAs, checkA11y, eventually, focused, launchBrowser, openConversation, requestAs, signIn, startServer,
} from './helpers.mjs';

const SMTPD = join(dirname(fileURLToPath(import.meta.url)), '../../crates/server/tests/common/smtpd.py');

/** aiosmtpd on a free port; `mails()` reads what it received, in order. */
async function startSmtpd() {
  const out = mkdtempSync(join(tmpdir(), 'parley-smtpd-'));
  const proc = spawn(process.env.PARLEY_SMTPD_PYTHON || 'python3', [SMTPD, out], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`the SMTP server exited (${code}): is aiosmtpd installed?`)));
    createInterface({ input: proc.stdout }).once('line', (l) => resolve([l]));
  });
  return {
    port: Number(line),
    mails() {
      const mails = [];
      for (let n = 1; existsSync(join(out, `${n}.json`)); n++) mails.push(JSON.parse(readFileSync(join(out, `${n}.json`), 'utf8')));
      return mails;
    },
    stop: () => proc.kill(),
  };
}

const env = {};
before(async () => {
  env.smtpd = await startSmtpd();
  env.server = await startServer({ args: ['--smtp', `smtp://127.0.0.1:${env.smtpd.port}`, '--smtp-from', 'Parley Demo <support@parley.test>'] });
  env.plain = await startServer();
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  await env.server?.stop();
  await env.plain?.stop();
  env.smtpd?.stop();
});

test('an agent sends the transcript to another address; it arrives with the thread and no note', async () => {
  const page = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  const view = await openConversation(page, 'Mine', 'Dmitri Weber');
  const id = page.url().split('/c/')[1];
  const note = await requestAs(env.server, 'aaron@parley.test', 'POST', `/conversations/${id}/notes`, { text: 'Internal: VIP, refund approved' });
  assert.equal(note.status, 201, note.text);

  const open = view.getByRole('button', { name: 'Send transcript' });
  await open.click();
  const dialog = page.getByRole('dialog', { name: 'Send transcript' });
  await dialog.waitFor();
  const address = dialog.getByRole('textbox', { name: 'Email address' });
  const get = await apiAs(env.server, 'aaron@parley.test');
  const detail = await get(`/conversations/${id}`);
  // Prefilled with the contact's email, and focused.
  assert.equal(await address.inputValue(), detail.contact.email);
  await eventually(async () => assert.ok(await focused(address)));
  await checkA11y(page, 'the Send transcript dialog');

  // Escape closes it and gives the focus back.
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await eventually(async () => assert.ok(await focused(open)));

  await open.click();
  await address.fill('manager@example.org');
  await dialog.getByRole('button', { name: 'Send', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('status').filter({ hasText: 'Transcript sent to manager@example.org' }).waitFor();

  const mails = env.smtpd.mails();
  assert.equal(mails.length, 1);
  const [mail] = mails;
  assert.deepEqual(mail.to, ['manager@example.org']);
  assert.equal(mail.subject, 'Transcript: conversation with Dmitri Weber (Parley Demo)');
  const text = mail.text.replaceAll('\r\n', '\n');
  // Every message of the thread, in order; the note stays internal.
  let from = 0;
  for (const m of detail.messages.items) {
    const at = text.indexOf(m.text, from);
    assert.ok(at >= from, `${JSON.stringify(m.text)} in order in\n${text}`);
    from = at + m.text.length;
  }
  assert.ok(detail.messages.items.length > 0);
  assert.ok(!text.includes('refund approved') && !mail.html.includes('refund approved'));

  // The audit trail records it.
  const later = await get(`/conversations/${id}`);
  assert.ok(later.activities.some((a) => a.kind === 'transcript_sent' && a.to === 'manager@example.org'));
  await page.context().close();
});

test('a refused address is said in the dialog; without --smtp there is no action', async () => {
  const page = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  const view = await openConversation(page, 'Mine', 'Dmitri Weber');
  await view.getByRole('button', { name: 'Send transcript' }).click();
  const dialog = page.getByRole('dialog', { name: 'Send transcript' });
  // The browser's own check lets two dots in a row pass; the server's (lettre's) refuses them.
  await dialog.getByRole('textbox', { name: 'Email address' }).fill('a..b@example.com');
  await dialog.getByRole('button', { name: 'Send', exact: true }).click();
  await eventually(async () => assert.match(await dialog.getByRole('alert').innerText(), /is not an email address/));
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await page.context().close();

  const plain = await signIn(env.browser, env.plain.base, 'aaron@parley.test');
  const other = await openConversation(plain, 'Mine', 'Dmitri Weber');
  await other.getByRole('button', { name: 'Close conversation' }).waitFor();
  assert.equal(await other.getByRole('button', { name: 'Send transcript' }).count(), 0);
  await plain.context().close();
});
