// A store outage, seen from the cross-origin front end: the API on
// http://localhost:A with its sessions in a private Redis, the front end on
// http://localhost:B. Once signed in, Redis is stopped. Every answer the API gives
// then is sesame's 503 problem+json (SES031), and because it carries the CORS headers
// (Access-Control-Allow-Origin, -Credentials, Vary: Origin) like every other answer
// to an allowed origin, the page can read it: it shows the problem's title and
// detail, not "Failed to fetch" and a CORS error in the console.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { launch } from '../lib/browser.js';
import { freePort, OUT } from '../lib/procs.js';
import { startDemo, startRedis } from '../lib/demo.js';
import { scenario, text, signIn } from '../lib/scenario.js';

let browser, demo, redis, api, app;
const env = { browser: () => browser, procs: () => [demo, redis?.proc].filter(Boolean) };

before(async () => {
  const [apiPort, appPort] = [await freePort(), await freePort()];
  api = `http://localhost:${apiPort}`;
  app = `http://localhost:${appPort}`;
  redis = await startRedis('redis-outage');
  demo = await startDemo('demo-outage', {
    apiAddr: `localhost:${apiPort}`,
    appAddr: `localhost:${appPort}`,
    flags: ['--dev', `--store=${redis.url}`, `--data-dir=${mkdtempSync(path.join(OUT, 'outage-'))}`],
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
  await redis?.proc.stop();
});

for (const client of ['fetch', 'axios']) {
  test(`${client}: with the store down the page reads the 503, not a CORS error`, scenario(env, async ({ newPage }) => {
    const { page, rec } = await newPage(`${app}/?client=${client}`);
    await signIn(page, 'alice', 'wonderland');
    await text(page, '#me-name', 'alice');

    await redis.proc.stop();
    try {
      // A write of the signed-in session: the store cannot be asked.
      await page.fill('#pref-name', 'theme');
      await page.fill('#pref-value', 'dark');
      await page.click('#pref-add');
      await text(page, '#why-title', 'The API answered 503');
      await text(page, '#why-lead', 'Session store unavailable');
      await text(page, '#why-detail', 'try again shortly');

      // A reload: the first request of the page meets the outage too.
      await page.reload();
      await text(page, '#why-title', 'The API answered 503');
      await text(page, '#why-detail', 'try again shortly');

      const blocked = await page.locator('#log li.bad').allTextContents();
      assert.ok(!blocked.some((l) => l.endsWith('blocked')),
        `requests the browser withheld from the page: ${JSON.stringify(blocked)}, want none (every 503 readable)`);
      const failures = rec.summary();
      assert.ok(!/CORS|Access-Control-Allow-Origin/i.test(failures),
        `Chromium reported a CORS failure during the outage:\n${failures}`);
    } finally {
      // Later scenarios need a store again: a new private Redis on the same port.
      redis = await restartRedis(redis);
    }
  }));
}

// restartRedis starts a fresh redis-server on the stopped one's port (the demo's
// client reconnects to it by itself).
async function restartRedis(old) {
  const { start, waitFor } = await import('../lib/procs.js');
  const port = new URL(old.url).port;
  const proc = start('redis-outage-restarted', 'redis-server', ['--port', port, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await waitFor(`redis on ${port}`, () => proc.output.includes('Ready to accept connections'), { proc });
  return { proc, url: old.url };
}
