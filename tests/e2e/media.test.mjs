// Composer media: files attached to a reply (uploaded, sent, downloaded byte for byte;
// refused over 10 MB without losing anything), voice notes from Chromium's fake
// microphone (played back, re-recorded, sent; stopped by themselves at 5:00), the reply
// channel selector following a web-chat visitor's presence, and the customer-service
// window blocking free-form replies on the channel it closed on.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';

import {
  FAKE_MEDIA, apiAs, eventually, focused, openConversation, setClock, signIn, timeline, useServerAndBrowser,
} from './helpers.mjs';

const env = useServerAndBrowser({ browserArgs: FAKE_MEDIA });

const MB = 1024 * 1024;

/** The newest message of a conversation, as the server has it. */
async function lastMessage(conversationId) {
  const get = await apiAs(env.server, 'max@parley.test');
  const detail = await get(`/conversations/${conversationId}`);
  return detail.messages.items.at(-1);
}

/** The conversation id in the page's URL (`/inbox/<inbox>/c/<id>`). */
const conversationOf = (page) => decodeURIComponent(new URL(page.url()).pathname.split('/').at(-1));

/** Records about a second from the fake microphone, and stops. */
async function recordOneSecond(view) {
  await view.getByRole('button', { name: 'Record voice note' }).click();
  const timer = view.getByRole('timer', { name: 'Recording time' });
  await eventually(async () => assert.equal(await timer.innerText(), '0:01'), 5000);
  await view.getByRole('button', { name: 'Stop recording' }).click();
}

async function readAll(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

test('a file is uploaded, sent with a reply (or alone), and downloads byte for byte', async () => {
  const page = await signIn(env.browser, env.server.base, 'max@parley.test');
  const view = await openConversation(page, 'All', 'Quentin Silva');
  const composer = view.getByRole('textbox', { name: 'Message' });
  const pending = view.getByRole('list', { name: 'Attachments to send' });
  const invoice = randomBytes(48 * 1024 + 7);

  await composer.fill('Here is your invoice');
  await view.getByLabel('Attach file').setInputFiles([
    { name: 'invoice.pdf', mimeType: 'application/pdf', buffer: invoice },
    { name: 'scratch.txt', mimeType: 'text/plain', buffer: Buffer.from('not for the customer') },
  ]);
  await eventually(async () => {
    const text = await pending.innerText();
    assert.match(text, /invoice\.pdf/);
    assert.match(text, /scratch\.txt/);
    assert.doesNotMatch(text, /uploading/);
  });
  // Taken back out before sending.
  await view.getByRole('button', { name: 'Remove scratch.txt' }).click();
  await eventually(async () => assert.doesNotMatch(await pending.innerText(), /scratch\.txt/));

  await composer.press('Enter');
  const log = timeline(view);
  const sent = log.getByRole('listitem').filter({ hasText: 'Here is your invoice' });
  const link = sent.getByRole('link', { name: 'invoice.pdf' });
  await link.waitFor();
  await eventually(async () => assert.doesNotMatch(await sent.innerText(), /Sending|Failed/));
  assert.equal(await pending.count(), 0, 'the sent file left the composer');

  const message = await lastMessage(conversationOf(page));
  assert.equal(message.text, 'Here is your invoice');
  assert.deepEqual(
    message.attachments.map((a) => [a.filename, a.size, a.kind]),
    [['invoice.pdf', invoice.length, 'file']],
  );

  // The download is authorised (bearer token) and returns exactly the uploaded bytes.
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), 'invoice.pdf');
  assert.ok((await readAll(await download.createReadStream())).equals(invoice), 'downloaded bytes differ');

  // A file alone, without text, is a reply too.
  const photo = randomBytes(2048);
  await view.getByLabel('Attach file').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: photo });
  await eventually(async () => assert.doesNotMatch(await pending.innerText(), /uploading/));
  await view.getByRole('button', { name: 'Send', exact: true }).click();
  await log.getByRole('link', { name: 'photo.png' }).waitFor();
  await eventually(async () => {
    const alone = await lastMessage(conversationOf(page));
    assert.equal(alone.text, '');
    assert.deepEqual(alone.attachments.map((a) => a.filename), ['photo.png']);
  });
  await page.context().close();
});

test('a file over 10 MB is refused with a readable message, and nothing is lost', async () => {
  const page = await signIn(env.browser, env.server.base, 'max@parley.test');
  const view = await openConversation(page, 'All', 'Hugo Roux');
  const composer = view.getByRole('textbox', { name: 'Message' });
  const pending = view.getByRole('list', { name: 'Attachments to send' });

  await composer.fill('Draft I am still writing');
  await view.getByLabel('Attach file').setInputFiles({ name: 'keep.txt', mimeType: 'text/plain', buffer: Buffer.from('keep me') });
  await eventually(async () => assert.match(await pending.innerText(), /keep\.txt/));
  await view.getByLabel('Attach file').setInputFiles({
    name: 'huge.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(10 * MB + 1, 1),
  });
  const alert = view.getByRole('alert').filter({ hasText: 'huge.bin' });
  await eventually(async () => assert.equal(
    await alert.innerText().then((t) => t.replace(/\s*Dismiss$/, '')),
    '“huge.bin” (10.1 MB) is too large to send: files can be at most 10 MB.',
  ));
  // The draft and the other file are still there; the big file is not waiting to go.
  assert.equal(await composer.inputValue(), 'Draft I am still writing');
  assert.match(await pending.innerText(), /keep\.txt/);
  assert.doesNotMatch(await pending.innerText(), /huge\.bin/);

  // The agent can go on: dismiss, send the draft with the file that fitted.
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await eventually(async () => assert.equal(await alert.count(), 0));
  await composer.press('Enter');
  await timeline(view).getByRole('link', { name: 'keep.txt' }).waitFor();
  await page.context().close();
});

test('a voice note is recorded, played back, re-recorded and sent', async () => {
  const page = await signIn(env.browser, env.server.base, 'max@parley.test');
  // Bruno Lefèvre writes on Messenger, which plays voice notes.
  const view = await openConversation(page, 'All', 'Bruno Lefèvre');
  const record = view.getByRole('button', { name: 'Record voice note' });
  const timer = view.getByRole('timer', { name: 'Recording time' });

  await record.click();
  await eventually(async () => assert.equal(await timer.innerText(), '0:01'), 5000);
  const stop = view.getByRole('button', { name: 'Stop recording' });
  assert.ok(await focused(stop), 'focus moves to Stop recording');
  await stop.click();
  const playback = view.getByLabel('Recorded voice note');
  await eventually(async () => assert.match(await playback.getAttribute('src'), /^blob:/));

  // Delete and record again.
  await view.getByRole('button', { name: 'Delete recording' }).click();
  await eventually(async () => assert.equal(await playback.count(), 0));
  await eventually(async () => assert.ok(await focused(record), 'focus back on Record voice note'));
  await record.click();
  await eventually(async () => assert.equal(await timer.innerText(), '0:02'), 6000);
  await view.getByRole('button', { name: 'Stop recording' }).click();
  const send = view.getByRole('button', { name: 'Send voice note' });
  await send.waitFor();
  assert.equal(await view.getByText('it goes as an audio file').count(), 0, 'Messenger plays voice notes');
  await send.click();

  // In the timeline: a voice note that the browser can play.
  const note = timeline(view).getByRole('figure', { name: /^Voice note, 0:0[2-4]$/ });
  await note.waitFor();
  const audio = note.locator('audio');
  await eventually(async () => assert.ok(await audio.evaluate((el) => el.readyState >= 1), 'the audio loads'), 10_000);
  assert.equal(await record.count(), 1, 'the recorder is ready for the next one');

  const message = await lastMessage(conversationOf(page));
  assert.equal(message.attachments.length, 1);
  const [voice] = message.attachments;
  assert.equal(voice.kind, 'voice');
  assert.match(voice.content_type, /^audio\//);
  assert.ok(voice.duration_ms >= 2000 && voice.duration_ms < 5000, `duration ${voice.duration_ms}`);
  assert.ok(voice.size > 0);
  await page.context().close();
});

test('on a channel without voice notes the recording goes as an audio file', async () => {
  const page = await signIn(env.browser, env.server.base, 'max@parley.test');
  // Dmitri Weber writes by email.
  const view = await openConversation(page, 'All', 'Dmitri Weber');
  await recordOneSecond(view);
  await view.getByText('This channel has no voice notes: it goes as an audio file.').waitFor();
  await view.getByRole('button', { name: 'Send voice note' }).click();
  await timeline(view).getByRole('figure', { name: /^Audio, 0:0\d$/ }).waitFor();
  const message = await lastMessage(conversationOf(page));
  assert.equal(message.attachments[0].kind, 'audio');
  await page.context().close();
});

test('a voice note whose upload fails is kept and sent by "Try again"', async () => {
  const page = await signIn(env.browser, env.server.base, 'max@parley.test');
  const view = await openConversation(page, 'All', 'Dmitri Weber');
  await recordOneSecond(view);

  // The network drops the upload.
  const audios = timeline(view).getByRole('figure', { name: /^Audio, / });
  const before = await audios.count();
  const uploads = '**/api/v1/conversations/*/attachments';
  await page.route(uploads, (route) => route.abort('connectionreset'));
  await view.getByRole('button', { name: 'Send voice note' }).click();
  const alert = view.getByRole('alert').filter({ hasText: 'The voice note could not be uploaded.' });
  await alert.waitFor();
  assert.equal(await audios.count(), before, 'nothing was sent');

  // Back online, the same recording goes.
  await page.unroute(uploads);
  await alert.getByRole('button', { name: 'Try again' }).click();
  await eventually(async () => assert.equal(await audios.count(), before + 1));
  await alert.waitFor({ state: 'detached' });
  const message = await lastMessage(conversationOf(page));
  assert.equal(message.attachments.length, 1);
  assert.ok(message.attachments[0].size > 0);
  await page.context().close();
});

test('the recorder stops itself at 5:00', async () => {
  // The page's clock is Playwright's, so five minutes pass in an instant.
  const page = await signIn(env.browser, env.server.base, 'max@parley.test', undefined, {
    beforeLoad: (p) => p.clock.install(),
  });
  const view = await openConversation(page, 'All', 'Inès García');
  await view.getByRole('button', { name: 'Record voice note' }).click();
  const timer = view.getByRole('timer', { name: 'Recording time' });
  await eventually(async () => assert.equal(await timer.innerText(), '0:00'));

  await page.clock.fastForward('04:58');
  await eventually(async () => assert.equal(await timer.innerText(), '4:58'));
  assert.equal(await view.getByRole('button', { name: 'Stop recording' }).count(), 1, 'still recording');

  await page.clock.fastForward('00:03');
  await view.getByRole('status').filter({ hasText: 'Recording stopped at the 5:00 limit.' }).waitFor();
  assert.equal(await view.getByRole('button', { name: 'Stop recording' }).count(), 0);
  assert.equal(await view.locator('.recorder__length').innerText(), '5:00');

  await view.getByRole('button', { name: 'Send voice note' }).click();
  await timeline(view).getByRole('figure', { name: 'Voice note, 5:00' }).waitFor();
  const message = await lastMessage(conversationOf(page));
  assert.equal(message.attachments[0].duration_ms, 5 * 60 * 1000);
  await page.context().close();
});

test('the reply channel defaults to web chat while the visitor is online, email once they left', async () => {
  const page = await signIn(env.browser, env.server.base, 'max@parley.test');
  // Elena Dubois writes on the website chat and also has an email address.
  const view = await openConversation(page, 'All', 'Elena Dubois');
  const via = view.getByRole('combobox', { name: 'Reply via' });
  assert.deepEqual(
    await via.locator('option').evaluateAll((os) => os.map((o) => o.value)),
    ['ch-webchat', 'ch-email'],
  );
  // She is not on the page: a chat reply would go unseen.
  await eventually(async () => assert.equal(await via.inputValue(), 'ch-email'));
  await env.server.presence('k-005', true);
  await eventually(async () => assert.equal(await via.inputValue(), 'ch-webchat'));
  await env.server.presence('k-005', false);
  await eventually(async () => assert.equal(await via.inputValue(), 'ch-email'));

  const composer = view.getByRole('textbox', { name: 'Message' });
  await composer.fill('We will answer by email');
  await composer.press('Enter');
  await eventually(async () => {
    const m = await lastMessage(conversationOf(page));
    assert.equal(m.text, 'We will answer by email');
    assert.equal(m.channel, 'ch-email');
  });

  // The agent's own pick stays, whatever the presence says.
  await via.selectOption('ch-webchat');
  await env.server.presence('k-005', true);
  await env.server.presence('k-005', false);
  // Events arrive in order: once her next message shows, both presence changes have.
  await env.server.inbound('k-005', 'ch-webchat', 'Are you still there?');
  await eventually(async () => assert.match(await timeline(view).innerText(), /Are you still there\?/));
  assert.equal(await via.inputValue(), 'ch-webchat');
  await composer.fill('Or right here in the chat');
  await composer.press('Enter');
  await eventually(async () => assert.equal((await lastMessage(conversationOf(page))).channel, 'ch-webchat'));

  // A contact with one channel gets no selector.
  const bruno = await openConversation(page, 'All', 'Bruno Lefèvre');
  await bruno.getByRole('textbox', { name: 'Message' }).waitFor();
  assert.equal(await bruno.getByRole('combobox', { name: 'Reply via' }).count(), 0);
  await page.context().close();
});

test('a closed WhatsApp window blocks free-form replies there, not notes nor another channel', async () => {
  const page = await signIn(env.browser, env.server.base, 'max@parley.test');
  // Alice Martin wrote on WhatsApp minutes ago; she can also be reached by SMS.
  const view = await openConversation(page, 'All', 'Alice Martin');
  const composer = view.getByRole('textbox', { name: 'Message' });
  const send = view.getByRole('button', { name: 'Send', exact: true });
  const via = view.getByRole('combobox', { name: 'Reply via' });
  const notice = view.getByText(/customer-service window has closed/);
  await eventually(async () => assert.equal(await via.inputValue(), 'ch-whatsapp'));
  assert.equal(await composer.isEnabled(), true);
  assert.equal(await notice.count(), 0);

  try {
    // A day and an hour later (server time), the 24-hour window has closed.
    await setClock(env.server, 25 * 3600_000);
    await eventually(async () => assert.match(
      await notice.innerText(),
      /^The 24-hour WhatsApp customer-service window has closed: .*internal note or reply via another channel\.$/,
    ));
    assert.equal(await composer.isDisabled(), true);
    assert.equal(await send.isDisabled(), true);
    assert.equal(await view.getByLabel('Attach file').isDisabled(), true);

    // Notes stay possible.
    await view.getByRole('button', { name: 'Internal note' }).click();
    await composer.fill('Window closed: try SMS');
    await composer.press('Enter');
    await eventually(async () => assert.match(await timeline(view).innerText(), /Window closed: try SMS/));
    await view.getByRole('button', { name: 'Internal note' }).click();
    assert.equal(await composer.isDisabled(), true, 'back in reply mode, still blocked');

    // SMS has no window.
    await via.selectOption('ch-sms');
    await eventually(async () => assert.equal(await notice.count(), 0));
    await composer.fill('Texting you instead');
    await composer.press('Enter');
    await eventually(async () => {
      const m = await lastMessage(conversationOf(page));
      assert.equal(m.text, 'Texting you instead');
      assert.equal(m.channel, 'ch-sms');
    });

    // Back on WhatsApp it is blocked again; once the clock is back, it is open.
    await via.selectOption('ch-whatsapp');
    await notice.waitFor();
    await setClock(env.server, 0);
    await eventually(async () => assert.equal(await notice.count(), 0));
    assert.equal(await composer.isEnabled(), true);
  } finally {
    await setClock(env.server, 0);
  }
  await page.context().close();
});
