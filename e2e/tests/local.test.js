// Local development: the API on http://localhost:A and the front end on
// http://localhost:B, both over plain HTTP, sessions in the embedded bolt store.
// localhost:A and localhost:B are different origins but the same site, so the
// derived cookie is SameSite=Lax and CORS with credentials carries it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { launch } from '../lib/browser.js';
import { freePort, get, OUT } from '../lib/procs.js';
import { startDemo } from '../lib/demo.js';
import { scenario, text, signIn } from '../lib/scenario.js';

let browser, demo, api, app, startLocal;
const env = { browser: () => browser, procs: () => [demo] };

before(async () => {
  const [apiPort, appPort] = [await freePort(), await freePort()];
  api = `http://localhost:${apiPort}`;
  app = `http://localhost:${appPort}`;
  const dataDir = mkdtempSync(path.join(OUT, 'local-'));
  // The defaults but for the ports: the bolt store and a generated key in dataDir.
  startLocal = (name) => startDemo(name, {
    apiAddr: `localhost:${apiPort}`,
    appAddr: `localhost:${appPort}`,
    flags: ['--dev', `--data-dir=${dataDir}`],
  });
  demo = await startLocal('demo-local');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

// The session cookie is the only cookie the API sets.
async function sessionCookie(context) {
  const cookies = await context.cookies(api);
  assert.equal(cookies.length, 1, `cookies stored for ${api}: got ${JSON.stringify(cookies)}, want exactly the session cookie`);
  return cookies[0];
}

for (const client of ['fetch', 'axios']) {
  test(`${client}: sign in, who am I, preferences, sessions, sign out`, scenario(env, async ({ newPage }) => {
    const { context, page, rec } = await newPage(`${app}/?client=${client}`);
    await text(page, '#conn-client', client === 'axios' ? 'axios withCredentials' : 'fetch');
    await text(page, '#why-title', 'Not signed in');

    await signIn(page, 'alice', 'wonderland', { remember: true });
    await text(page, '#me-name', 'alice');

    // The browser stored the cookie: host-only on the API's host, HttpOnly, Lax
    // (same-site front end), and it expires ("remember me"), it is not a browser-session cookie.
    const c = await sessionCookie(context);
    assert.equal(c.domain, 'localhost', `cookie domain: got ${c.domain}, want localhost (host-only)`);
    assert.equal(c.httpOnly, true, `HttpOnly: got ${c.httpOnly}, want true`);
    assert.equal(c.sameSite, 'Lax', `SameSite: got ${c.sameSite}, want Lax`);
    assert.ok(c.expires > Date.now() / 1000 + 86400, `remember me: cookie expires ${new Date(c.expires * 1000).toISOString()}, want over a day ahead`);
    assert.ok(rec.sentTo(`${api}/api/me`, c.name), `GET /api/me did not carry ${c.name}`);

    // Preferences: add two, edit one; they survive a reload.
    await page.fill('#pref-name', 'theme');
    await page.fill('#pref-value', 'dark');
    await page.click('#pref-add');
    await page.locator('tr[data-pref="theme"]').waitFor();
    await page.fill('#pref-name', 'lang');
    await page.fill('#pref-value', 'en');
    await page.click('#pref-add');
    await page.locator('tr[data-pref="lang"]').waitFor();
    await page.fill('tr[data-pref="theme"] input', 'light');
    await page.click('tr[data-pref="theme"] button');
    await page.reload();
    await text(page, '#me-name', 'alice');
    await page.locator('tr[data-pref="lang"]').waitFor();
    assert.equal(await page.inputValue('tr[data-pref="theme"] input'), 'light');
    assert.equal(await page.inputValue('tr[data-pref="lang"] input'), 'en');

    // Sessions: this browser, with the client IP the server saw.
    await text(page, '#sessions-body tr.current', 'this browser');
    await text(page, '#sessions-body tr.current', '127.0.0.1');

    if (client === 'fetch') {
      await page.screenshot({ path: path.join(OUT, 'signed-in.png'), fullPage: true });
    }

    await page.click('#signout');
    await text(page, '#why-lead', 'You signed out.');
    assert.equal((await context.cookies(api)).length, 0, 'the sign-out response should clear the cookie in the browser');
    await page.reload();
    await page.locator('#signin').waitFor();
  }));
}

test('concurrent writes of different preferences all survive', scenario(env, async ({ newPage }) => {
  const { page } = await newPage(`${app}/`);
  await signIn(page, 'bob', 'builder');
  await text(page, '#me-name', 'bob');
  // Twenty PUTs in flight at once from the page, each a different name.
  const statuses = await page.evaluate(async (api) => Promise.all(Array.from({ length: 20 }, (_, i) =>
    fetch(`${api}/api/prefs/p${i}`, {
      method: 'PUT', credentials: 'include',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ value: `v${i}` }),
    }).then((r) => r.status))), api);
  assert.deepEqual(statuses, Array(20).fill(204));
  const prefs = await page.evaluate(async (api) =>
    (await (await fetch(`${api}/api/prefs`, { credentials: 'include' })).json()).prefs, api);
  for (let i = 0; i < 20; i++) {
    assert.equal(prefs[`p${i}`], `v${i}`, `prefs.p${i}: got ${JSON.stringify(prefs[`p${i}`])}, want "v${i}"`);
  }
}));

test('wrong password: 401 and the page says so, no cookie stored', scenario(env, async ({ newPage }) => {
  const { context, page } = await newPage(`${app}/`);
  await signIn(page, 'alice', 'not her password');
  await page.locator('#signin-error').waitFor({ state: 'visible' });
  assert.equal((await context.cookies(api)).length, 0, 'a failed sign-in must not store a session cookie');
}));

test('the front end that forgets credentials: login answers 200, the cookie is dropped, the page shows the server\'s explanation', scenario(env, async ({ newPage }) => {
  for (const client of ['fetch', 'axios']) {
    const { context, page, rec } = await newPage(`${app}/?client=${client}&credentials=omit`);
    await text(page, '#conn-cred', 'forgotten');
    await signIn(page, 'alice', 'wonderland');
    await text(page, '#why-title', 'Signed in, but the next request had no session');
    // The browser dropped the Set-Cookie silently (no blocked reason exists for it)
    // and sent no cookie; the dev-mode header says so from the server's side.
    assert.equal((await context.cookies(api)).length, 0, `${client}: cookies stored without credentials mode "include"`);
    assert.equal(rec.blockedReasons().length, 0, `${client}: got blocked reasons ${rec.blockedReasons()}, want none (it is silent)`);
    const why = await page.textContent('#why-header');
    assert.match(why, /cookie/i, `${client}: Sesame-Why: got ${JSON.stringify(why)}, want an explanation naming the missing cookie`);
    await text(page, '#why-detail', 'SES009');
    if (client === 'fetch') await page.screenshot({ path: path.join(OUT, 'credentials-forgotten.png'), fullPage: true });
    await context.close();
  }
}));

test('a request without a session explains itself (dev mode)', async () => {
  const res = await get(`${api}/api/me`, { headers: { Origin: app } });
  assert.equal(res.status, 401);
  assert.match(res.headers['content-type'], /^application\/problem\+json/);
  assert.ok(res.headers['sesame-why'], `Sesame-Why: got none, want an explanation (--dev)`);
  assert.equal(res.headers['access-control-allow-origin'], app);
  assert.match(res.headers['access-control-expose-headers'] || '', /sesame-why/i);
});

test('a restarted demo still knows the browser: the bolt store and the generated key persist in --data-dir', scenario(env, async ({ newPage }) => {
  const { page } = await newPage(`${app}/`);
  await signIn(page, 'bob', 'builder');
  await text(page, '#me-name', 'bob');
  await demo.stop();
  demo = await startLocal('demo-local-restarted');
  await page.reload();
  await text(page, '#me-name', 'bob');
}));
