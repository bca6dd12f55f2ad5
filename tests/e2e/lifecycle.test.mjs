// The conversation lifecycle from the header: close with a note and reason, reopen,
// mark pending (a customer's message brings it back), snooze until a time (the server
// wakes it with the reminder), and the audit-trail toggle that survives a reload.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  eventually, focused, openConversation, setClock, signIn, timeline, useServerAndBrowser,
} from './helpers.mjs';

const env = useServerAndBrowser();

/** The status the header shows, e.g. "Closed" or "Snoozed until 14:05". */
const status = (view, text) => view.getByText(text, { exact: typeof text === 'string' });

test('close with a note and a reason, then reopen', async () => {
  // Dmitri Weber (k-004) is Aaron's contact; the fixture has the conversation snoozed.
  const page = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  const view = await openConversation(page, 'Mine', 'Dmitri Weber');
  const closeButton = view.getByRole('button', { name: 'Close conversation' });

  // Escape closes the dialog and gives the focus back to the button that opened it.
  await closeButton.click();
  const dialog = page.getByRole('dialog', { name: 'Close conversation' });
  await dialog.waitFor();
  await eventually(async () => assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement))));
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await eventually(async () => assert.ok(await focused(closeButton)));

  await closeButton.click();
  await dialog.getByLabel('Closing note').fill('customer gone');
  await dialog.getByLabel('Reason').selectOption({ label: 'Spam' });
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });

  await status(view, 'Closed').waitFor();
  // The button that opened the dialog is gone: focus lands on the action that undoes it.
  await eventually(async () => assert.ok(await focused(view.getByRole('button', { name: 'Reopen' }))));
  await timeline(view)
    .getByRole('listitem')
    .filter({ hasText: 'Aaron Diallo closed the conversation. Reason: Spam. Note: customer gone' })
    .waitFor();
  assert.ok(await view.getByRole('textbox', { name: 'Message' }).isDisabled());
  assert.equal(await view.getByRole('button', { name: 'Close conversation' }).count(), 0);

  await view.getByRole('button', { name: 'Reopen' }).click();
  await status(view, 'New').waitFor();
  await timeline(view).getByRole('listitem').filter({ hasText: 'Aaron Diallo reopened the conversation' }).waitFor();
  assert.ok(await view.getByRole('textbox', { name: 'Message' }).isEnabled());
  // A reload shows the server's state, not only the optimistic one.
  await page.reload();
  await status(page.getByRole('region', { name: 'Conversation with Dmitri Weber' }), 'New').waitFor();
  await page.context().close();
});

test('mark pending; a customer message makes it new again, live', async () => {
  // Chloé Farouk (k-003, Aaron's) starts pending in the fixture: take it back first.
  const page = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  const view = await openConversation(page, 'Mine', 'Chloé Farouk');
  if (await view.getByRole('button', { name: 'Reopen' }).count()) {
    await view.getByRole('button', { name: 'Reopen' }).click();
    await status(view, 'New').waitFor();
  }
  await view.getByRole('button', { name: 'Mark pending' }).click();
  await status(view, 'Pending').waitFor();
  await timeline(view).getByRole('listitem').filter({ hasText: 'Aaron Diallo marked the conversation pending' }).waitFor();
  assert.equal(await view.getByRole('button', { name: 'Mark pending' }).count(), 0);

  await env.server.inbound('k-003', 'ch-instagram', 'Any news about my order?');
  await status(view, 'New').waitFor({ timeout: 5000 });
  await timeline(view).getByRole('listitem').filter({ hasText: 'Any news about my order?' }).waitFor();
  await page.context().close();
});

test('snooze with a reminder; when the time comes the conversation is new again', async () => {
  // Bruno Lefèvre (k-002) is unassigned and new; Max, a manager, sees it in All.
  const page = await signIn(env.browser, env.server.base, 'max@parley.test');
  const view = await openConversation(page, 'All', 'Bruno Lefèvre');
  const snoozeButton = view.getByRole('button', { name: 'Snooze' });
  await snoozeButton.click();
  const dialog = page.getByRole('dialog', { name: 'Snooze conversation' });
  const until = dialog.getByLabel('Snooze until');
  // Focus starts in the dialog, on the time, which defaults to an hour ahead.
  await eventually(async () => assert.ok(await focused(until)));
  const inAnHour = await page.evaluate(() => Date.now() + 3_600_000);
  const shown = await until.evaluate((el) => new Date(el.value).getTime());
  assert.ok(Math.abs(shown - inAnHour) < 2 * 60_000, `default snooze ${new Date(shown).toISOString()}`);

  // Cancel closes it and returns the focus too.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  await eventually(async () => assert.ok(await focused(snoozeButton)));

  await snoozeButton.click();
  const inHalfAnHour = await page.evaluate(() => {
    const d = new Date(Date.now() + 30 * 60_000);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  });
  await dialog.getByLabel('Snooze until').fill(inHalfAnHour);
  await dialog.getByLabel('Reminder note').fill('call back');
  await dialog.getByRole('button', { name: 'Snooze', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });

  // Past midnight the header names the day too ("7 Dec 00:24").
  const clock = inHalfAnHour.slice(11);
  await status(view, new RegExp(`^Snoozed until (?:.+ )?${clock}$`)).waitFor();
  await timeline(view)
    .getByRole('listitem')
    .filter({ hasText: `Max Martin snoozed the conversation until ${clock}. Note: call back` })
    .waitFor();

  try {
    await setClock(env.server, 31 * 60_000);
    await status(view, 'New').waitFor({ timeout: 10_000 });
    await timeline(view)
      .getByRole('listitem')
      .filter({ hasText: /woke the conversation\. Reminder: call back/ })
      .waitFor({ timeout: 5000 });
  } finally {
    await setClock(env.server, 0);
  }
  await page.context().close();
});

test('the audit-trail toggle hides activities, and the choice survives a reload', async () => {
  const page = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  let view = await openConversation(page, 'Mine', 'Dmitri Weber');
  await view.getByRole('button', { name: 'Mark pending' }).click();
  const line = () =>
    timeline(page.getByRole('region', { name: 'Conversation with Dmitri Weber' }))
      .getByRole('listitem')
      .filter({ hasText: 'marked the conversation pending' });
  await line().first().waitFor();

  const toggle = view.getByRole('checkbox', { name: 'Audit trail' });
  assert.ok(await toggle.isChecked());
  await toggle.uncheck();
  await eventually(async () => assert.equal(await line().count(), 0));
  // Messages stay.
  assert.ok((await timeline(view).getByRole('listitem').count()) > 0);

  await page.reload();
  view = page.getByRole('region', { name: 'Conversation with Dmitri Weber' });
  await view.waitFor();
  await timeline(view).getByRole('listitem').first().waitFor();
  assert.equal(await view.getByRole('checkbox', { name: 'Audit trail' }).isChecked(), false);
  assert.equal(await line().count(), 0);

  await view.getByRole('checkbox', { name: 'Audit trail' }).check();
  await line().first().waitFor();
  await page.context().close();
});
