// index.html's first script sets the document's base from the address, so that one
// dist/ serves under any prefix and deep links find their assets (issue 12). It runs
// here as index.html ships it, in a sandbox with a fake `location` and `document`, against
// the routes of src/router.rs under several prefixes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import vm from 'node:vm';

const html = readFileSync(new URL('../../index.html', import.meta.url), 'utf8');
const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]);

function baseFor(pathname) {
  const appended = [];
  const document = {
    createElement: (tag) => ({ tag, href: undefined }),
    head: { appendChild: (el) => appended.push(el) },
  };
  vm.runInNewContext(scripts[0], { location: { pathname }, document });
  assert.equal(appended.length, 1);
  assert.equal(appended[0].tag, 'base');
  return appended[0].href;
}

test('index.html has exactly one inline script', () => {
  assert.equal(scripts.length, 1);
});

test('the base is the prefix before the app route', () => {
  const routes = ['', 'sign-in', 'settings/snippets', 'settings/closing-reasons', 'settings/templates', 'settings/rules', 'inbox/mine', 'inbox/team-t-sales/',
    'inbox/all/c/c_42', 'inbox/all/c/a%2Fb', 'custom/ci_1', 'custom/ci_1/c/c_7', 'contacts', 'contacts/k-1'];
  // A prefix that is itself a route with nothing after it (/x/inbox/y/) reads as that
  // route: the one address this scheme cannot tell apart.
  for (const prefix of ['/', '/support/parley/', '/apps/inbox-tools/', '/custom/']) {
    for (const route of routes) {
      assert.equal(baseFor(prefix + route), prefix, prefix + route);
    }
  }
});

test('a file name or an unknown path falls back to its folder', () => {
  for (const [path, base] of [
    ['/support/parley/index.html', '/support/parley/'],
    ['/unknown', '/'],
    ['/support/parley/unknown', '/support/parley/'],
    ['/inbox', '/'],
  ]) {
    assert.equal(baseFor(path), base, path);
  }
});
