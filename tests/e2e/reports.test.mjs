// Reports (issue 15, item 4): a data set played through the API on the test clock in
// March 2026 (the demo workspace's conversations are all around today, outside the
// period), then the reports page of a manager whose browser runs at UTC+05:30 shows the
// figures this test computes on its own from what it played — per day in that zone, the
// totals, the breakdowns as switched — and the CSV it downloads says the same. Agents get
// no link. Axe on the page.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { checkA11y, eventually, setClock, signIn, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

const MIN = 60_000;
const HOUR = 60 * MIN;
/** Asia/Kolkata: +05:30 all year. */
const OFFSET = 5 * HOUR + 30 * MIN;
/** 2026-03-10 00:00 UTC. */
const D0 = Date.UTC(2026, 2, 10);
const TARGET = 15 * MIN; // the demo workspace's first-response target
/** Local day `d` (0 = 2026-03-10) at hh:mm, +05:30, as UTC ms. */
const at = (d, hh, mm) => D0 + d * 24 * HOUR + hh * HOUR + mm * MIN - OFFSET;

async function tokenOf(email) {
  const res = await fetch(`${env.server.base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'parley-demo' }),
  });
  assert.equal(res.status, 201);
  return (await res.json()).token;
}

async function call(token, method, path, body) {
  const res = await fetch(`${env.server.base}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body && JSON.stringify(body),
  });
  const text = await res.text();
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

/** How the app writes a duration: "10 min", "8 h", "1 h 05 min"; none: "none". */
function duration(ms) {
  if (ms === null) return 'none';
  const total = Math.floor(ms / MIN);
  const [h, m] = [Math.floor(total / 60), total % 60];
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')} min`;
}

const lowerMedian = (v) => (v.length ? [...v].sort((a, b) => a - b)[Math.ceil(v.length / 2) - 1] : null);

/** The figures of `convs` over local days [from, to], by the definitions of docs/api.md. */
function figures(convs, from, to) {
  const [start, end] = [at(from, 0, 0), at(to + 1, 0, 0)];
  const inside = (t) => t !== null && t >= start && t < end;
  const breach = (c) => {
    const due = c.firstIn + TARGET;
    return inside(due) && (c.reply === null ? c.closed === null || c.closed > due : c.reply > due);
  };
  return {
    opened: convs.filter((c) => inside(c.opened)).length,
    closed: convs.filter((c) => inside(c.closed)).length,
    firstResponse: duration(lowerMedian(convs.filter((c) => inside(c.reply)).map((c) => c.reply - c.firstIn))),
    resolution: duration(lowerMedian(convs.filter((c) => inside(c.closed)).map((c) => c.closed - c.opened))),
    breaches: convs.filter(breach).length,
  };
}

/** A table's body rows as arrays of their header and cell texts, read by role. */
async function rowsOf(table) {
  const rows = await table.getByRole('row').all();
  const out = [];
  for (const row of rows.slice(1)) {
    const head = await row.getByRole('rowheader').allInnerTexts();
    out.push([...head, ...(await row.getByRole('cell').allInnerTexts())]);
  }
  return out;
}

const asCells = (f) => [String(f.opened), String(f.closed), f.firstResponse, f.resolution, String(f.breaches)];

test('the reports page shows what the played data set gives, per day, in total and per breakdown; the CSV agrees', async () => {
  const server = env.server;
  const [max, nina] = [await tokenOf('max@parley.test'), await tokenOf('nina@parley.test')];
  const clock = (t) => setClock(server, t - Date.now());
  const conversations = [];
  // Each conversation: who answers, when (local day, hh, mm), and its closes/reopens.
  const plays = [
    // A new WhatsApp visitor (unassigned): answered in 5 min by Max, closed at noon.
    { from: '+919800000001', channel: 'ch-whatsapp', open: [0, 9, 0], reply: [max, 0, 9, 5], life: [[max, 'close', 0, 12, 0]] },
    // Farid (Nina's, SMS) at 02:00 local, 20:30 UTC the day before: answered late (a breach).
    { contact: 'k-006', channel: 'ch-sms', open: [1, 2, 0], reply: [nina, 1, 2, 40], life: [[nina, 'close', 1, 10, 0]] },
    // Another visitor never answered: a breach, open.
    { from: '+919800000002', channel: 'ch-whatsapp', open: [1, 10, 0], life: [] },
    // Vera (Nina's, SMS): closed, reopened, closed again; the last close counts.
    { contact: 'k-022', channel: 'ch-sms', open: [2, 8, 0], reply: [nina, 2, 8, 10],
      life: [[nina, 'close', 2, 9, 0], [nina, 'reopen', 2, 9, 30], [nina, 'close', 2, 18, 0]] },
  ];
  // Played in time order.
  const steps = [];
  plays.forEach((p, i) => {
    steps.push({ t: at(...p.open), run: async () => {
      const body = p.contact
        ? { contact: p.contact, channel: p.channel, text: 'hello' }
        : { from: { channel: p.channel, address: p.from }, text: 'hello' };
      const created = await call(null, 'POST', '/simulator/inbound', body);
      conversations[i] = { id: created.conversation, channel: p.channel };
    } });
    if (p.reply) {
      const [who, ...time] = p.reply;
      steps.push({ t: at(...time), run: () => call(who, 'POST', `/conversations/${conversations[i].id}/messages`, { client_id: `r${i}`, text: 'on it' }) });
    }
    for (const [who, action, ...time] of p.life) {
      const body = action === 'close' ? { action, note: null, reason: null } : { action };
      steps.push({ t: at(...time), run: () => call(who, 'POST', `/conversations/${conversations[i].id}/lifecycle`, body) });
    }
  });
  steps.sort((a, b) => a.t - b.t);
  try {
    for (const step of steps) {
      await clock(step.t);
      await step.run();
    }
  } finally {
    await setClock(server, 0);
  }

  // What the server recorded (the times of messages and of the audit trail).
  const convs = [];
  for (const c of conversations) {
    const d = await call(max, 'GET', `/conversations/${c.id}`);
    const times = (dir) => d.messages.items.filter((m) => m.direction === dir).map((m) => m.at);
    const firstIn = Math.min(...times('incoming'));
    const replies = times('outgoing').filter((t) => t >= firstIn);
    const closes = d.activities.filter((a) => a.kind === 'closed').map((a) => a.at);
    convs.push({
      ...c,
      agent: d.conversation.assignee,
      opened: firstIn,
      firstIn,
      reply: replies.length ? Math.min(...replies) : null,
      closed: d.conversation.status === 'closed' ? Math.max(...closes) : null,
    });
  }

  const page = await signIn(env.browser, server.base, 'max@parley.test', 'parley-demo', { timezoneId: 'Asia/Kolkata' });
  await page.getByRole('link', { name: 'Reports' }).click();
  await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
  await page.getByText('UTC+05:30').waitFor();
  await page.getByLabel('From', { exact: true }).fill('2026-03-10');
  await page.getByLabel('To', { exact: true }).fill('2026-03-12');

  const perDay = page.getByRole('table', { name: 'Opened and closed per day' });
  const expectedDays = [0, 1, 2].map((d) => {
    const f = figures(convs, d, d);
    return [`2026-03-${10 + d}`, String(f.opened), String(f.closed)];
  });
  await eventually(async () => assert.deepEqual(await rowsOf(perDay), expectedDays));
  // 02:00 at +05:30 is the day before in UTC: counted on the 11th here.
  assert.deepEqual(expectedDays.map((r) => r[1]), ['1', '2', '1']);
  const chart = page.getByRole('img', { name: 'Opened and closed per day' });
  assert.equal(await chart.locator('rect').count(), 6, 'two bars a day');

  const totals = figures(convs, 0, 2);
  assert.equal(totals.breaches, 2);
  const [totalRow] = await rowsOf(page.getByRole('table', { name: 'Totals' }));
  assert.deepEqual(totalRow.slice(0, 5), asCells(totals));

  // Per agent (the default), then per team, then per channel.
  const byAgent = page.getByRole('table', { name: 'By agent' });
  const row = async (table, name) => (await rowsOf(table)).find((r) => r[0] === name);
  const ninas = convs.filter((c) => c.agent === 'u-nina');
  assert.deepEqual((await row(byAgent, 'Nina Petrova')).slice(1, 6), asCells(figures(ninas, 0, 2)));
  await page.getByRole('radio', { name: 'By team' }).check();
  const byTeam = page.getByRole('table', { name: 'By team' });
  await byTeam.waitFor();
  assert.deepEqual((await row(byTeam, 'Support')).slice(1, 6), asCells(figures(ninas, 0, 2)));
  assert.equal(await page.getByRole('table', { name: 'By agent' }).count(), 0);
  await page.getByRole('radio', { name: 'By channel' }).check();
  const byChannel = page.getByRole('table', { name: 'By channel' });
  await byChannel.waitFor();
  for (const [id, name] of [['ch-whatsapp', 'WhatsApp +33 1 84 88 00 00'], ['ch-sms', 'SMS +44 20 7946 0000']]) {
    assert.deepEqual((await row(byChannel, name)).slice(1, 6), asCells(figures(convs.filter((c) => c.channel === id), 0, 2)), name);
  }
  assert.equal(await page.getByRole('img', { name: 'By channel' }).count(), 1);

  // Open now per inbox: the side panel's counts.
  const counts = await call(max, 'GET', '/inboxes');
  const inboxRows = await rowsOf(page.getByRole('table', { name: 'Open now per inbox' }));
  assert.deepEqual(inboxRows.map((r) => r[1]), counts.inboxes.map((i) => String(i.open)));

  await checkA11y(page, 'reports');

  // The CSV, downloaded: the totals and each day as computed here.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'parley-report-2026-03-10-2026-03-12.csv');
  const lines = readFileSync(await download.path(), 'utf8').split('\r\n');
  assert.equal(lines[0], 'scope,id,name,opened,closed,median_first_response_seconds,median_resolution_seconds,sla_breaches,open_now');
  const total = lines[1].split(',');
  assert.deepEqual(total.slice(0, 5), ['total', '', '2026-03-10 to 2026-03-12 (+05:30)', String(totals.opened), String(totals.closed)]);
  assert.equal(total[7], String(totals.breaches));
  assert.equal(duration(Number(total[5]) * 1000), totals.firstResponse);
  assert.equal(duration(Number(total[6]) * 1000), totals.resolution);
  assert.deepEqual(lines.slice(2, 5), expectedDays.map(([d, o, c]) => `day,${d},${d},${o},${c},,,,`));
  await page.context().close();
});

test('agents get no reports link, and the API refuses them', async () => {
  const aaron = await signIn(env.browser, env.server.base, 'aaron@parley.test');
  assert.equal(await aaron.getByRole('link', { name: 'Reports' }).count(), 0);
  const token = await tokenOf('aaron@parley.test');
  const res = await fetch(`${env.server.base}/api/v1/reports?from=2026-03-10&to=2026-03-12`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(res.status, 403);
  await aaron.context().close();
});
