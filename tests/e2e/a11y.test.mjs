// axe-core (WCAG 2.2 AA) finds no serious or critical violation on the main screens, at
// a desktop width and a phone width (issue 11, item 5).

import { test } from 'node:test';

import { checkA11y, inboxLink, openConversation, signIn, useServerAndBrowser } from './helpers.mjs';

const env = useServerAndBrowser();

for (const [width, height] of [[1440, 900], [375, 812]]) {
  test(`sign-in, the inbox and a conversation have no serious violation at ${width} px`, async () => {
    const context = await env.browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    await page.goto(`${env.server.base}/sign-in`);
    await page.getByLabel('Email').waitFor();
    await checkA11y(page, `sign-in at ${width} px`);
    await context.close();

    const agent = await signIn(env.browser, env.server.base, 'aaron@parley.test');
    await agent.setViewportSize({ width, height });
    await inboxLink(agent, 'All').click();
    await agent.getByRole('list', { name: 'All', exact: true }).waitFor();
    await checkA11y(agent, `the All inbox at ${width} px`);
    await openConversation(agent, 'Mine', 'Chloé Farouk');
    await checkA11y(agent, `a conversation at ${width} px`);
    await agent.context().close();
  });
}
