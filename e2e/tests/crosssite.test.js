// A cross-site pair: the front end on app.site-a.test calls the API on
// api.site-b.test. In a DEFAULT Chromium profile third-party cookies are blocked, so
// the seeds' Express recipe (SameSite=None; Secure) loses its cookie with
// UserPreferences. sesame derives SameSite=None; Secure; Partitioned for a
// cross-site front end, and the CHIPS cookie is kept, partitioned by the top-level
// site: the user stays signed in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { launch } from '../lib/browser.js';
import { freePort, start, waitFor, get, OUT } from '../lib/procs.js';
import { startDemo } from '../lib/demo.js';
import { makeCerts } from '../lib/tls.js';
import { startNginx } from '../lib/nginx.js';
import { scenario, text, signIn } from '../lib/scenario.js';

let browser, nginx, demo, express;
let app, api, expressAPI;
const env = { browser: () => browser, procs: () => [demo, express, nginx].filter(Boolean) };

before(async () => {
  const dir = mkdtempSync(path.join(OUT, 'crosssite-'));
  const certs = makeCerts(path.join(dir, 'tls'));
  const port = await freePort();
  app = `https://app.site-a.test:${port}`;
  api = `https://api.site-b.test:${port}`;
  expressAPI = `https://express.site-b.test:${port}`;
  const [apiPort, appPort, expressPort] = [await freePort(), await freePort(), await freePort()];

  demo = await startDemo('demo-crosssite', {
    apiAddr: `127.0.0.1:${apiPort}`, appAddr: `127.0.0.1:${appPort}`,
    flags: [`--public-origin=${api}`, `--frontend-origin=${app}`, '--trust-proxy=loopback',
      '--dev', '--store=memory', `--data-dir=${dir}/data`],
  });
  express = start('express-seed', process.execPath, [path.join(import.meta.dirname, '..', 'lib', 'express-seed.js'), String(expressPort), app]);
  await waitFor('the Express seed', async () => (await get(`http://127.0.0.1:${expressPort}/api/me`)).status === 401, { proc: express });

  nginx = await startNginx({
    name: 'nginx-crosssite', dir: path.join(dir, 'nginx'), port, certs,
    sites: [
      { host: 'app.site-a.test', upstreams: [appPort] },
      { host: 'api.site-b.test', upstreams: [apiPort] },
      { host: 'express.site-b.test', upstreams: [expressPort] },
    ],
  });
  browser = await launch({ spki: certs.spki });
});

after(async () => {
  await browser?.close();
  await nginx?.stop();
  await demo?.stop();
  await express?.stop();
});

for (const client of ['fetch', 'axios']) {
  test(`${client}: sesame's derived policy keeps the sign-in with third-party cookies blocked`, scenario(env, async ({ newPage }) => {
    const { context, page, rec } = await newPage(`${app}/?client=${client}`);
    await signIn(page, 'alice', 'wonderland');
    await text(page, '#me-name', 'alice');
    await page.reload();
    await text(page, '#me-name', 'alice');

    const cookies = await context.cookies(api);
    assert.equal(cookies.length, 1, `cookies for ${api}: got ${JSON.stringify(cookies)}, want the session cookie`);
    const [c] = cookies;
    assert.equal(c.sameSite, 'None', `SameSite: got ${c.sameSite}, want None (cross-site front end)`);
    assert.equal(c.secure, true, `Secure: got ${c.secure}, want true`);
    assert.ok(c.partitionKey?.includes('site-a.test'), `partitionKey: got ${JSON.stringify(c.partitionKey)}, want the front end's site (CHIPS)`);
    assert.ok(rec.sentTo(`${api}/api/me`, c.name), `the browser did not send ${c.name} to ${api}/api/me`);
    assert.deepEqual(rec.blockedReasons(), [], 'no Set-Cookie of sesame may be blocked');
  }));
}

test('the seeds\' Express recipe loses its cookie to third-party blocking (UserPreferences)', scenario(env, async ({ newPage }) => {
  const { context, page, rec } = await newPage(`${app}/?api=${encodeURIComponent(expressAPI)}`);
  await signIn(page, 'alice', 'wonderland');
  await text(page, '#why-title', 'Signed in, but the next request had no session');
  assert.ok(rec.blockedReasons().includes('UserPreferences'),
    `blocked reasons: got ${JSON.stringify(rec.blockedReasons())}, want UserPreferences`);
  assert.equal((await context.cookies(expressAPI)).length, 0, 'the Express cookie should not be stored');
}));
