// A scenario is one node:test test that opens browser pages. Every page gets a CDP
// recorder; when the scenario fails, the failure message carries what Chromium said
// about cookies and CORS for every page, the tail of each server's log, and a
// screenshot per page under out/failures/.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { record } from './record.js';
import { OUT } from './procs.js';

export function scenario(env, body) {
  return async (t) => {
    const opened = [];
    const newPage = async (url, contextOptions = {}) => {
      const context = await env.browser().newContext(contextOptions);
      const page = await context.newPage();
      const rec = await record(context, page);
      opened.push({ context, page, rec });
      if (url) await page.goto(url);
      return { context, page, rec };
    };
    try {
      await body({ newPage, t });
    } catch (err) {
      const dir = path.join(OUT, 'failures');
      mkdirSync(dir, { recursive: true });
      const parts = [err.message];
      for (const [i, o] of opened.entries()) {
        const shot = path.join(dir, `${t.name.replace(/[^\w-]+/g, '_')}-${i}.png`);
        await o.page.screenshot({ path: shot, fullPage: true }).catch(() => {});
        parts.push(`--- browser page ${i} (${o.page.url()}), screenshot ${shot} ---\n${o.rec.summary()}`);
      }
      for (const p of env.procs?.() || []) parts.push(`--- ${p.name}, last lines ---\n${p.tail(15)}`);
      err.message = parts.join('\n');
      throw err;
    } finally {
      for (const o of opened) await o.context.close().catch(() => {});
    }
  };
}

// text waits until the element matching selector contains want, and fails with what
// it holds instead.
export async function text(page, selector, want, { timeout = 8000 } = {}) {
  const loc = page.locator(selector);
  try {
    await loc.filter({ hasText: want }).first().waitFor({ state: 'visible', timeout });
  } catch {
    const got = await loc.first().textContent({ timeout: 500 }).catch(() => '(no such element)');
    throw new Error(`${selector}: got ${JSON.stringify(got?.trim())}, want text ${JSON.stringify(want)}`);
  }
}

// signIn fills the page's sign-in form.
export async function signIn(page, user, password, { remember = false } = {}) {
  await page.locator('#signin').waitFor({ state: 'visible' });
  await page.fill('#username', user);
  await page.fill('#password', password);
  if (remember) await page.check('#remember');
  await page.click('#signin-button');
}

// cookieFor returns the cookie named name the context holds for url, or undefined.
export async function cookieFor(context, url, name) {
  return (await context.cookies(url)).find((c) => c.name === name);
}
