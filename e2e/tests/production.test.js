// Production: nginx terminates TLS for app.example.test and api.example.test (same
// site, different origins) and balances the API over TWO demo instances that share a
// Redis and a signing key; the demo trusts nginx (--trust-proxy loopback) so it
// knows the browser used HTTPS and which address the browser came from.
// nginx connects to the instances from 127.0.0.2, so the client address an instance
// reports shows whether it believed nginx's X-Forwarded-For (127.0.0.1, the
// browser) or not (127.0.0.2, nginx itself).
// A third instance behind the same nginx does NOT trust it, and next to it runs the
// seeds' Express recipe without `trust proxy`: the classic "works locally, no
// cookie in production" misconfiguration, seen from the browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { launch } from '../lib/browser.js';
import { freePort, start, waitFor, get, OUT } from '../lib/procs.js';
import { startDemo, startRedis } from '../lib/demo.js';
import { makeCerts } from '../lib/tls.js';
import { startNginx } from '../lib/nginx.js';
import { scenario, text, signIn } from '../lib/scenario.js';

let browser, redis, nginx, express, demos = [];
let app, api, untrustedApp, untrustedAPI, expressAPI;
const env = { browser: () => browser, procs: () => [...demos, express, nginx, redis?.proc].filter(Boolean) };

before(async () => {
  const dir = mkdtempSync(path.join(OUT, 'production-'));
  const certs = makeCerts(path.join(dir, 'tls'));
  redis = await startRedis('redis-production');
  const secret = path.join(dir, 'secret.key');
  writeFileSync(secret, randomBytes(32).toString('base64url') + '\n', { mode: 0o600 });

  const port = await freePort();
  app = `https://app.example.test:${port}`;
  api = `https://api.example.test:${port}`;
  untrustedApp = `https://app2.example.test:${port}`;
  untrustedAPI = `https://api2.example.test:${port}`;
  expressAPI = `https://express.example.test:${port}`;
  const ports = {};
  for (const k of ['a', 'b', 'aApp', 'c', 'cApp', 'express']) ports[k] = await freePort();
  express = start('express-seed-no-trust', process.execPath,
    [path.join(import.meta.dirname, '..', 'lib', 'express-seed.js'), String(ports.express), untrustedApp, 'no-trust-proxy']);
  await waitFor('the Express seed', async () => (await get(`http://127.0.0.1:${ports.express}/api/me`)).status === 401, { proc: express });

  const shared = [`--store=${redis.url}`, `--secret-file=${secret}`, `--public-origin=${api}`,
    `--frontend-origin=${app}`, '--dev'];
  demos = await Promise.all([
    startDemo('demo-prod-a', { apiAddr: `127.0.0.1:${ports.a}`, appAddr: `127.0.0.1:${ports.aApp}`,
      flags: [...shared, '--trust-proxy=loopback', `--data-dir=${dir}/a`] }),
    startDemo('demo-prod-b', { apiAddr: `127.0.0.1:${ports.b}`,
      flags: [...shared, '--trust-proxy=loopback', `--data-dir=${dir}/b`] }),
    startDemo('demo-prod-untrusted', { apiAddr: `127.0.0.1:${ports.c}`, appAddr: `127.0.0.1:${ports.cApp}`,
      flags: [`--store=${redis.url}`, `--secret-file=${secret}`, `--public-origin=${untrustedAPI}`,
        `--frontend-origin=${untrustedApp}`, '--dev', `--data-dir=${dir}/c`] }),
  ]);
  nginx = await startNginx({
    name: 'nginx-production', dir: path.join(dir, 'nginx'), port, certs,
    sites: [
      { host: 'app.example.test', upstreams: [ports.aApp] },
      { host: 'api.example.test', upstreams: [ports.a, ports.b], bind: '127.0.0.2' },
      { host: 'app2.example.test', upstreams: [ports.cApp] },
      { host: 'api2.example.test', upstreams: [ports.c], bind: '127.0.0.2' },
      { host: 'express.example.test', upstreams: [ports.express], bind: '127.0.0.2' },
    ],
  });
  browser = await launch({ spki: certs.spki });
});

after(async () => {
  await browser?.close();
  await nginx?.stop();
  await Promise.all(demos.map((d) => d.stop()));
  await express?.stop();
  await redis?.proc.stop();
});

// upstreams collects which instance answered each API request (nginx's X-Upstream).
function upstreams(page) {
  const seen = [];
  page.on('response', async (res) => {
    if (!res.url().startsWith(api + '/api/')) return;
    const h = await res.allHeaders();
    seen.push({ path: new URL(res.url()).pathname, status: res.status(), upstream: h['x-upstream'] });
  });
  return seen;
}

test('signed in on one instance, recognised on the other', scenario(env, async ({ newPage }) => {
  const { context, page, rec } = await newPage();
  const seen = upstreams(page);
  await page.goto(`${app}/`);
  await signIn(page, 'alice', 'wonderland');
  await text(page, '#me-name', 'alice');
  for (let i = 0; i < 3; i++) {
    await page.reload();
    await text(page, '#me-name', 'alice');
  }
  const me = seen.filter((s) => s.path === '/api/me' && s.status === 200);
  const instances = new Set(me.map((s) => s.upstream));
  assert.equal(instances.size, 2, `GET /api/me answered 200 by ${[...instances]}: want both instances (${JSON.stringify(seen)})`);

  // The cookie is Secure (the trusted proxy said https), host-only on the API host,
  // and carries the __Host- prefix the Stack chooses whenever it is allowed.
  const cookies = await context.cookies(api);
  assert.equal(cookies.length, 1, `cookies for ${api}: got ${JSON.stringify(cookies)}, want one`);
  const [c] = cookies;
  assert.equal(c.secure, true, `Secure: got ${c.secure}, want true`);
  assert.equal(c.domain, 'api.example.test', `domain: got ${c.domain}, want host-only api.example.test`);
  assert.ok(rec.sentTo(`${api}/api/me`, c.name), `the browser did not send ${c.name} to ${api}/api/me`);

  // The client IP is the browser's (127.0.0.1), as nginx reported it and
  // --trust-proxy believed it, not nginx's own (127.0.0.2).
  await text(page, '#sessions-body tr.current', '127.0.0.1');
  await page.screenshot({ path: path.join(OUT, 'signed-in-production.png'), fullPage: true });
}));

test('sign out everywhere from one browser ends the other browser\'s session', scenario(env, async ({ newPage }) => {
  const one = await newPage(`${app}/`);
  const two = await newPage(`${app}/?client=axios`);
  await signIn(one.page, 'bob', 'builder');
  await text(one.page, '#me-name', 'bob');
  await signIn(two.page, 'bob', 'builder');
  await text(two.page, '#me-name', 'bob');

  await one.page.reload();
  await text(one.page, '#me-name', 'bob');
  assert.ok(await one.page.locator('#sessions-body tr').count() >= 2, 'the first browser should list both sessions');

  await one.page.click('#signout-everywhere');
  await text(one.page, '#why-lead', 'You signed out everywhere.');
  await two.page.reload();
  await text(two.page, '#why-title', 'Not signed in');
  await two.page.locator('#signin').waitFor();
  // The second browser still holds its cookie (nobody told it), but the server no
  // longer knows the session: the explanation says so.
  const why = await two.page.textContent('#why-header');
  assert.ok(why && !why.startsWith('(none'), `Sesame-Why: got ${JSON.stringify(why)}, want the server's explanation`);
}));

test('sign out others keeps this browser signed in', scenario(env, async ({ newPage }) => {
  const one = await newPage(`${app}/`);
  const two = await newPage(`${app}/`);
  await signIn(one.page, 'alice', 'wonderland');
  await text(one.page, '#me-name', 'alice');
  await signIn(two.page, 'alice', 'wonderland');
  await text(two.page, '#me-name', 'alice');
  await one.page.click('#signout-others');
  await one.page.reload();
  await text(one.page, '#me-name', 'alice');
  await two.page.reload();
  await two.page.locator('#signin').waitFor();
}));

test('behind a proxy the demo does not trust: still signed in (Secure comes from the https public origin), the proxy shows as the client, and the log says why', scenario(env, async ({ newPage }) => {
  const { context, page } = await newPage(`${untrustedApp}/`);
  await signIn(page, 'alice', 'wonderland');
  await text(page, '#me-name', 'alice');
  const cookies = await context.cookies(untrustedAPI);
  assert.equal(cookies.length, 1, `cookies for ${untrustedAPI}: got ${JSON.stringify(cookies)}, want the session cookie`);
  assert.equal(cookies[0].secure, true, 'sesame derives Secure from --public-origin, not from a header it does not believe');
  // The symptom a browser can see: the address is nginx's, not the browser's.
  await text(page, '#sessions-body tr.current', '127.0.0.2');
  const log = demos[2].output;
  assert.match(log, /SES002/, `the untrusted instance's log should name rule SES002; it ends:\n${demos[2].tail(10)}`);
  // The browser kept the Secure cookie: "SES001 … browsers drop it" would be a false
  // alarm (issue 14, defect 5). The log says the cookie is Secure by the https origin.
  assert.doesNotMatch(log, /SES001/, `the untrusted instance's log should not claim SES001 (browsers drop the cookie); it ends:\n${demos[2].tail(10)}`);
  assert.match(log, /Secure regardless \(set by sesame\.Config\.APIOrigin\)/, `the log should say why the cookie is Secure; it ends:\n${demos[2].tail(10)}`);
}));

test('the seeds\' Express recipe without trust proxy: login answers 200 with no Set-Cookie at all', scenario(env, async ({ newPage }) => {
  const { context, page } = await newPage();
  const setCookies = [];
  page.on('response', async (res) => {
    if (res.url() === `${expressAPI}/api/login`) setCookies.push((await res.allHeaders())['set-cookie']);
  });
  await page.goto(`${untrustedApp}/?api=${encodeURIComponent(expressAPI)}`);
  await signIn(page, 'alice', 'wonderland');
  await text(page, '#why-title', 'Signed in, but the next request had no session');
  assert.deepEqual(setCookies, [undefined], `Set-Cookie on the Express login: got ${JSON.stringify(setCookies)}, want none`);
  assert.equal((await context.cookies(expressAPI)).length, 0);
}));
