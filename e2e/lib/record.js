// What the browser did with cookies, from the DevTools protocol: rejected cookies
// never reach the console, so a failing scenario quotes Chromium's own reasons
// (Network.responseReceivedExtraInfo → blockedCookies[].blockedReasons, e.g.
// SameSiteNoneInsecure, UserPreferences), the cookies each request carried
// (Network.requestWillBeSentExtraInfo → associatedCookies), CORS failures
// (Network.loadingFailed → corsErrorStatus), DevTools issues and console errors.

export async function record(context, page) {
  const cdp = await context.newCDPSession(page);
  const requests = new Map(); // requestId → "METHOD url"
  const lines = [];
  const blocked = []; // {url, name, reasons}
  const sent = []; // {url, name}
  const at = (id) => requests.get(id) || `request ${id}`;

  cdp.on('Network.requestWillBeSent', (e) => {
    requests.set(e.requestId, `${e.request.method} ${e.request.url}`);
  });
  cdp.on('Network.responseReceivedExtraInfo', (e) => {
    for (const b of e.blockedCookies || []) {
      const name = b.cookie?.name ?? (b.cookieLine || '').split('=')[0];
      blocked.push({ id: e.requestId, name, reasons: b.blockedReasons });
    }
    const setCookie = Object.entries(e.headers || {}).filter(([k]) => k.toLowerCase() === 'set-cookie').map(([, v]) => v);
    if (setCookie.length) lines.push({ id: e.requestId, text: `Set-Cookie (${e.statusCode}): ${setCookie.join(' | ')}` });
  });
  cdp.on('Network.requestWillBeSentExtraInfo', (e) => {
    for (const c of e.associatedCookies || []) {
      if (c.blockedReasons?.length) {
        lines.push({ id: e.requestId, text: `cookie ${c.cookie.name} not sent: ${c.blockedReasons.join(', ')}` });
      } else {
        sent.push({ id: e.requestId, name: c.cookie.name });
      }
    }
  });
  cdp.on('Network.loadingFailed', (e) => {
    const cors = e.corsErrorStatus ? ` CORS ${e.corsErrorStatus.corsError} ${e.corsErrorStatus.failedParameter || ''}` : '';
    lines.push({ id: e.requestId, text: `failed: ${e.errorText}${cors}` });
  });
  cdp.on('Audits.issueAdded', (e) => {
    const { code, details } = e.issue;
    const d = details.cookieIssueDetails || details.corsIssueDetails || {};
    const why = [...(d.cookieWarningReasons || []), ...(d.cookieExclusionReasons || [])].join(', ')
      || d.corsErrorStatus?.corsError || '';
    lines.push({ id: d.request?.requestId, text: `DevTools issue ${code}${why ? `: ${why}` : ''}` });
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') lines.push({ text: `console ${m.type()}: ${m.text()}` });
  });
  await cdp.send('Network.enable');
  await cdp.send('Audits.enable');

  return {
    cdp,
    // blockedReasons lists every reason Chromium gave for rejecting a Set-Cookie.
    blockedReasons() { return [...new Set(blocked.flatMap((b) => b.reasons))]; },
    // sentTo reports whether a request whose URL contains urlPart carried the cookie.
    sentTo(urlPart, cookieName) {
      return sent.some((s) => s.name === cookieName && at(s.id).includes(urlPart));
    },
    // summary is what a failure message quotes.
    summary() {
      const out = [];
      for (const b of blocked) out.push(`${at(b.id)}: Set-Cookie ${b.name} BLOCKED: ${b.reasons.join(', ')}`);
      for (const l of lines) out.push(l.id ? `${at(l.id)}: ${l.text}` : l.text);
      return out.length ? out.join('\n') : '(the browser reported no blocked cookie, CORS failure or issue)';
    },
  };
}
