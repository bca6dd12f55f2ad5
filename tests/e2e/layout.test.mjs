// The layout holds at the widths agents use (issue 11, item 8): on each main screen —
// sign-in, the inbox list, a conversation with its contact sidebar, a ringing call and
// the call card — no two visible controls or text labels overlap, no text is cut off
// without an ellipsis, and no button or tab label (nor a ringing call's masked number)
// wraps onto a second line. Screenshots
// of every screen and width go to $PARLEY_SHOTS (default /tmp/parley-shots) to be looked
// at.

import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { openConversation, signIn, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();
const SHOTS = process.env.PARLEY_SHOTS || '/tmp/parley-shots';
mkdirSync(SHOTS, { recursive: true });

const WIDTHS = [[1920, 1080], [1440, 900], [1280, 800], [1024, 768], [768, 1024], [375, 812]];

/**
 * Runs in the page: the visible controls and text labels, then every overlapping pair,
 * every text cut off without an ellipsis and every control label on two lines.
 */
function findProblems() {
  const CONTROLS = 'a[href], button, input, select, textarea, [role="tab"], [role="option"], [role="timer"]';
  const problems = [];
  const describe = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${text}"`;
  };
  // What of `rect` the user can see: clipped by every scrolling or clipping ancestor (and
  // the element itself, for its text) and by the viewport. Null when nothing shows.
  const clip = (el, rect, self) => {
    let { left, top, right, bottom } = rect;
    for (let a = self ? el : el.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== 'visible' || s.overflowY !== 'visible' || s.clipPath !== 'none') {
        const r = a.getBoundingClientRect();
        if (s.overflowX !== 'visible') { left = Math.max(left, r.left); right = Math.min(right, r.right); }
        if (s.overflowY !== 'visible') { top = Math.max(top, r.top); bottom = Math.min(bottom, r.bottom); }
        if (s.clipPath !== 'none') return null;
      }
    }
    left = Math.max(left, 0); top = Math.max(top, 0);
    right = Math.min(right, innerWidth); bottom = Math.min(bottom, innerHeight);
    return right - left > 1 && bottom - top > 1 ? { left, top, right, bottom } : null;
  };
  const shown = (el) => {
    for (let a = el; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.display === 'none' || s.visibility === 'hidden' || Number(s.opacity) === 0) return false;
    }
    return true;
  };
  // The box of an element's own text (its direct text nodes), not of the element.
  const textBox = (el) => {
    const range = document.createRange();
    let box = null;
    for (const node of el.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
      range.selectNodeContents(node);
      const r = range.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      box = box
        ? { left: Math.min(box.left, r.left), top: Math.min(box.top, r.top), right: Math.max(box.right, r.right), bottom: Math.max(box.bottom, r.bottom) }
        : { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
    }
    return box;
  };
  // Controls by their box, except those whose words sit in child elements (a list row's
  // link): those children are the labels compared. Text labels by their text's box.
  const items = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('script, style, template, option, select, .visually-hidden') && !el.matches('select')) continue;
    const hasText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    const control = el.matches(CONTROLS) && (hasText || !el.querySelector('*'));
    if (!control && !hasText) continue;
    if (!shown(el)) continue;
    const box = control ? el.getBoundingClientRect() : textBox(el);
    if (!box) continue;
    const seen = clip(el, box, !control);
    if (!seen) continue;
    items.push({ el, box: seen, control });
  }
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i];
      const b = items[j];
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      const h = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
      if (w > 1 && h > 1) problems.push(`overlap: ${describe(a.el)} and ${describe(b.el)} (${Math.round(w)}×${Math.round(h)} px)`);
    }
  }
  for (const { el } of items) {
    if (el.matches('input, textarea, select')) continue;
    const s = getComputedStyle(el);
    if (el.scrollWidth > el.clientWidth + 1 && s.overflowX !== 'auto' && s.overflowX !== 'scroll' && s.textOverflow !== 'ellipsis' && el.clientWidth > 0) {
      problems.push(`cut off: ${describe(el)} (${el.scrollWidth} px in ${el.clientWidth})`);
    }
  }
  // A button or tab label, or a ringing call's number, on two lines: its visible text's
  // boxes on more than one line (boxes that share some height are one line).
  for (const el of document.body.querySelectorAll('button, [role="tab"], .incoming-call__phone')) {
    if (!shown(el) || !clip(el, el.getBoundingClientRect())) continue;
    const rects = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim() || node.parentElement.closest('.visually-hidden')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      rects.push(...[...range.getClientRects()].filter((r) => r.width > 0));
    }
    rects.sort((a, b) => a.top - b.top);
    let lines = 0;
    let bottom = -Infinity;
    for (const r of rects) {
      if (r.top >= bottom - 1) lines += 1;
      bottom = Math.max(bottom, r.bottom);
    }
    if (lines > 1) problems.push(`wraps: ${describe(el)} (${lines} lines)`);
  }
  return problems;
}

/** Checks the page as it stands and saves a screenshot; returns the problems found. */
async function look(page, name, width) {
  await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`) });
  return (await page.evaluate(findProblems)).map((p) => `${name} at ${width} px: ${p}`);
}

let owner;
for (const [width, height] of WIDTHS) {
  test(`nothing overlaps or is cut off at ${width} px`, async () => {
    const problems = [];
    const context = await env.browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    await page.goto(`${env.server.base}/sign-in`);
    await page.getByLabel('Email').waitFor();
    problems.push(...await look(page, 'sign-in', width));
    await context.close();

    owner ??= await signIn(env.browser, env.server.base, 'olivia@parley.test');
    await owner.setViewportSize({ width, height });
    await owner.goto(`${env.server.base}/inbox/all`);
    await owner.getByRole('list', { name: 'All', exact: true }).getByRole('link').first().waitFor();
    // The focused row shows its assignee picker.
    await owner.getByRole('list', { name: 'All', exact: true }).getByRole('link').first().focus();
    problems.push(...await look(owner, 'inbox', width));

    await openConversation(owner, 'All', 'Jonas Novak');
    await owner.getByRole('complementary', { name: 'Contact details' }).getByRole('tab').first().waitFor();
    problems.push(...await look(owner, 'conversation', width));

    // A call rings while another is on (the panel shows both), seen from the inbox. Alice
    // calls on WhatsApp: her ringing call shows a masked number.
    await owner.goto(`${env.server.base}/inbox/all`);
    await env.server.call('k-002', 'ring');
    const calls = owner.getByRole('region', { name: 'Incoming calls' });
    await calls.getByRole('button', { name: 'Accept call from Bruno Lefèvre' }).click();
    await owner.getByRole('region', { name: 'Active call' }).waitFor();
    await env.server.call('k-001', 'ring');
    await calls.getByRole('listitem').filter({ hasText: '+33 6•• ••• •93' }).waitFor();
    problems.push(...await look(owner, 'calls', width));
    await env.server.call('k-001', 'hangup');
    await owner.getByRole('region', { name: 'Active call' }).getByRole('button', { name: 'End call' }).click();
    await owner.getByRole('region', { name: 'Active call' }).waitFor({ state: 'detached' });

    assert.deepEqual(problems, []);
  });
}
