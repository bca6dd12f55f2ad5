// Lighthouse on the sign-in page (issue 11, item 7): `cargo xtask lighthouse` builds the
// app and the server, then runs this. It starts parley-server on dist/ (helpers.mjs; as
// in production: precompressed files, the real headers), runs Lighthouse RUNS times with
// the mobile preset and RUNS times with the desktop one, prints each run and the medians,
// and fails when a median misses a target. Not a test file (no `.test.mjs`): Lighthouse's figures
// depend on the machine's load, so it is run on purpose, not in every `cargo xtask test`.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { startServer } from './helpers.mjs';

const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const PAGE = '/sign-in';

// The targets of issue 11: a median under one of them fails the command.
const TARGETS = {
  mobile: { performance: 0.95, accessibility: 1, 'best-practices': 1, lcp: 2500 },
  desktop: { performance: 1, accessibility: 1, 'best-practices': 1 },
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function run(url, preset, chrome) {
  const flags = { port: chrome.port, output: 'json', logLevel: 'error',
    onlyCategories: ['performance', 'accessibility', 'best-practices'] };
  const result = await lighthouse(url, flags, preset === 'desktop' ? desktopConfig : undefined);
  const { categories, audits } = result.lhr;
  const failed = Object.values(audits)
    .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== 'informative'
      && a.scoreDisplayMode !== 'manual' && a.scoreDisplayMode !== 'notApplicable'
      && a.scoreDisplayMode !== 'metricSavings')
    .map((a) => a.id);
  return {
    performance: categories.performance.score,
    accessibility: categories.accessibility.score,
    'best-practices': categories['best-practices'].score,
    fcp: audits['first-contentful-paint'].numericValue,
    lcp: audits['largest-contentful-paint'].numericValue,
    tbt: audits['total-blocking-time'].numericValue,
    cls: audits['cumulative-layout-shift'].numericValue,
    failed,
    lhr: result.lhr,
  };
}

const fmt = (r) =>
  `performance ${r.performance.toFixed(2)}  FCP ${(r.fcp / 1000).toFixed(1)} s  LCP ${(r.lcp / 1000).toFixed(1)} s` +
  `  TBT ${Math.round(r.tbt)} ms  CLS ${r.cls.toFixed(3)}  accessibility ${r.accessibility.toFixed(2)}` +
  `  best practices ${r['best-practices'].toFixed(2)}`;

const server = await startServer();
const { base, dir } = server;
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? process.env.CHROMIUM,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu'],
});
const misses = [];
try {
  for (const preset of ['mobile', 'desktop']) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await run(`${base}${PAGE}`, preset, chrome);
      runs.push(r);
      console.log(`${preset} run ${i + 1}: ${fmt(r)}${r.failed.length ? `\n  flagged: ${r.failed.join(', ')}` : ''}`);
      writeFileSync(join(dir, `${preset}-${i + 1}.json`), JSON.stringify(r.lhr));
    }
    const m = Object.fromEntries(
      ['performance', 'accessibility', 'best-practices', 'fcp', 'lcp', 'tbt', 'cls'].map((k) => [k, median(runs.map((r) => r[k]))]),
    );
    console.log(`${preset} median: ${fmt(m)}`);
    for (const [key, target] of Object.entries(TARGETS[preset])) {
      const ok = key === 'lcp' ? m[key] <= target : m[key] >= target;
      if (!ok) misses.push(`${preset} ${key} ${key === 'lcp' ? `${Math.round(m[key])} ms > ${target} ms` : `${m[key]} < ${target}`}`);
    }
  }
} finally {
  await chrome.kill();
  await server.stop({ keep: true });
}
console.log(`reports: ${dir}/*.json`);
if (misses.length) {
  console.error(`missed targets: ${misses.join('; ')}`);
  process.exitCode = 1;
}
