// The sesame demo front end: plain JavaScript, no build step. It talks to an API on
// another origin through one of two clients, the way the seeds' front ends do:
//   fetch(url, {credentials: 'include'})        (the default, ?client=fetch)
//   axios.create({withCredentials: true})       (?client=axios)
// ?credentials=omit plays the front end that forgot those options: the browser then
// neither stores the session cookie nor sends it (Fetch standard, "credentials mode"),
// and the page shows what the server says about the request that arrived without it.
'use strict';

const params = new URLSearchParams(location.search);
const injected = document.querySelector('meta[name="sesame-api"]').content;
// An un-rendered template ("{{.API}}") means the file was opened without the server.
const API = (params.get('api') || (injected.startsWith('{{') ? '' : injected) || location.origin).replace(/\/+$/, '');
const CLIENT = params.get('client') === 'axios' ? 'axios' : 'fetch';
const FORGET_CREDENTIALS = params.get('credentials') === 'omit';

const $ = (id) => document.getElementById(id);

// ---- the two clients -------------------------------------------------------------
// Both resolve to {status, why, data} for any HTTP answer and throw NetworkError when
// the browser withholds the response (a CORS failure or an unreachable server).

class NetworkError extends Error {}

async function viaFetch(method, path, body) {
  const init = { method, headers: { Accept: 'application/json, application/problem+json' } };
  // Leaving the option out is the bug being demonstrated: fetch's default is
  // 'same-origin', which for a cross-origin API means no cookie either way.
  if (!FORGET_CREDENTIALS) init.credentials = 'include';
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(API + path, init);
  } catch (e) {
    throw new NetworkError(e.message);
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = text; }
  }
  return { status: res.status, why: res.headers.get('Sesame-Why'), data };
}

let axiosClient;
async function viaAxios(method, path, body) {
  axiosClient ??= window.axios.create({
    baseURL: API,
    withCredentials: !FORGET_CREDENTIALS,
    validateStatus: () => true, // every HTTP answer is data here, not an exception
    headers: { Accept: 'application/json, application/problem+json' },
  });
  try {
    const res = await axiosClient.request({ method, url: path, data: body });
    return { status: res.status, why: res.headers['sesame-why'] ?? null, data: res.data === '' ? null : res.data };
  } catch (e) {
    throw new NetworkError(e.message);
  }
}

async function api(method, path, body) {
  const call = CLIENT === 'axios' ? viaAxios : viaFetch;
  try {
    const res = await call(method, path, body);
    log(method, path, String(res.status), res.status >= 400);
    return res;
  } catch (e) {
    log(method, path, 'blocked', true);
    showWhy({
      title: 'The browser withheld the response',
      lead: `${method} ${path} did not reach this page: a CORS refusal or an unreachable API (${e.message}). The browser console names the reason.`,
    });
    throw e;
  }
}

// ---- rendering -------------------------------------------------------------------

function log(method, path, outcome, bad) {
  const li = document.createElement('li');
  li.className = bad ? 'bad' : '';
  li.textContent = `${method} ${path} → ${outcome}`;
  $('log').prepend(li);
  $('log-count').textContent = `(${$('log').children.length})`;
}

function when(iso) {
  if (!iso) return 'never';
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function setTime(el, iso) {
  el.textContent = when(iso);
  el.dateTime = iso || '';
  el.title = iso || '';
}

function showWhy({ title, lead, res }) {
  $('why-title').textContent = title;
  $('why-lead').textContent = lead || '';
  const why = res?.why;
  const detail = res?.data && typeof res.data === 'object' ? (res.data.detail || res.data.title || '') : '';
  $('why-header').textContent = why || '(none: the server sends it in --dev mode, exposed through CORS)';
  $('why-detail').textContent = detail || '(none)';
  $('why').hidden = false;
  $('why').classList.toggle('info', title === 'Not signed in');
}

function hideWhy() { $('why').hidden = true; }

function showSignedOut() {
  $('account').hidden = true;
  $('signin').hidden = false;
}

function renderMe(me) {
  $('me-name').textContent = me.user.name;
  setTime($('me-created'), me.session?.created);
  setTime($('me-expires'), me.session?.expires);
  $('signin').hidden = true;
  $('account').hidden = false;
}

function renderPrefs(prefs) {
  const body = $('prefs-body');
  body.replaceChildren();
  const names = Object.keys(prefs).sort();
  if (names.length === 0) {
    const tr = body.insertRow();
    const td = tr.insertCell();
    td.colSpan = 3;
    td.className = 'muted';
    td.textContent = 'No preferences yet.';
  }
  for (const name of names) {
    const tr = body.insertRow();
    tr.dataset.pref = name;
    tr.insertCell().textContent = name;
    const input = document.createElement('input');
    input.value = typeof prefs[name] === 'string' ? prefs[name] : JSON.stringify(prefs[name]);
    input.setAttribute('aria-label', `value of ${name}`);
    tr.insertCell().append(input);
    const save = document.createElement('button');
    save.type = 'button';
    save.textContent = 'Save';
    save.addEventListener('click', () => savePref(name, input.value).catch(() => {}));
    tr.insertCell().append(save);
  }
}

function renderSessions(list) {
  const body = $('sessions-body');
  body.replaceChildren();
  $('signout-others').disabled = $('signout-everywhere').disabled = false;
  for (const s of list) {
    const tr = body.insertRow();
    tr.className = s.current ? 'current' : '';
    tr.insertCell().innerHTML = s.current ? '<span class="tag">this browser</span>' : '';
    const started = document.createElement('time');
    setTime(started, s.created);
    tr.insertCell().append(started);
    const seen = document.createElement('time');
    setTime(seen, s.lastSeen);
    tr.insertCell().append(seen);
    tr.insertCell().textContent = s.clientIP || '?';
    const ua = tr.insertCell();
    ua.textContent = shortAgent(s.userAgent);
    ua.title = s.userAgent || '';
  }
}

function shortAgent(ua) {
  if (!ua) return 'unknown';
  const m = ua.match(/(HeadlessChrome|Chrome|Firefox|Safari|curl|Go-http-client)\/[\d.]+/);
  return m ? m[0] : ua.slice(0, 40);
}

// ---- actions ---------------------------------------------------------------------

// refresh asks who we are; expectSession says a missing session is a surprise (right
// after signing in) rather than the normal signed-out state.
async function refresh(expectSession) {
  const res = await api('GET', '/api/me');
  if (res.status !== 200 && res.status !== 401) {
    // Not an answer about the session (a 503 while the store is down, a 500): say
    // what the API said instead of pretending the user is signed out.
    await lostSession(res);
    return false;
  }
  if (res.status !== 200) {
    showSignedOut();
    if (expectSession) {
      showWhy({
        title: 'Signed in, but the next request had no session',
        lead: 'The sign-in answered 200, yet GET /api/me came back without a session: the browser did not store or did not send the cookie.',
        res,
      });
    } else {
      showWhy({ title: 'Not signed in', lead: 'GET /api/me came back without a session.', res });
    }
    return false;
  }
  hideWhy();
  renderMe(res.data);
  await Promise.all([loadPrefs(), loadSessions()]);
  return true;
}

async function loadPrefs() {
  const res = await api('GET', '/api/prefs');
  if (res.status === 200) renderPrefs(res.data.prefs || {});
  else await lostSession(res);
}

async function loadSessions() {
  const res = await api('GET', '/api/sessions');
  if (res.status === 200) renderSessions(res.data.sessions || []);
  else if (res.status === 501) unlisted(res.data?.detail || 'This store cannot list sessions.');
  else await lostSession(res);
}

// unlisted says why the sessions card is empty (a store without a user index).
function unlisted(why) {
  $('sessions-body').replaceChildren();
  const tr = $('sessions-body').insertRow();
  const td = tr.insertCell();
  td.colSpan = 5;
  td.className = 'muted';
  td.textContent = why;
  $('signout-others').disabled = $('signout-everywhere').disabled = true;
}

async function lostSession(res) {
  if (res.status === 401) {
    showSignedOut();
    showWhy({ title: 'Your session ended', lead: 'A request came back without a session.', res });
  } else {
    showWhy({ title: `The API answered ${res.status}`, lead: res.data?.title || '', res });
  }
}

async function savePref(name, value) {
  const res = await api('PUT', `/api/prefs/${encodeURIComponent(name)}`, { value });
  if (res.status === 204) await loadPrefs();
  else await lostSession(res);
}

// on binds a handler whose failures were already shown by api().
function on(id, event, fn) {
  $(id).addEventListener(event, (ev) => {
    fn(ev).catch((e) => { if (!(e instanceof NetworkError)) throw e; });
  });
}

on('signin-form', 'submit', async (ev) => {
  ev.preventDefault();
  $('signin-error').hidden = true;
  $('signin-button').disabled = true;
  try {
    const res = await api('POST', '/api/login', {
      username: $('username').value,
      password: $('password').value,
      remember: $('remember').checked,
    });
    if (res.status === 200) {
      $('password').value = '';
      await refresh(true);
    } else {
      $('signin-error').textContent = res.data?.detail || res.data?.title || `Sign-in failed (${res.status}).`;
      $('signin-error').hidden = false;
    }
  } finally {
    $('signin-button').disabled = false;
  }
});

on('pref-form', 'submit', async (ev) => {
  ev.preventDefault();
  await savePref($('pref-name').value, $('pref-value').value);
  $('pref-form').reset();
});

on('signout', 'click', async () => {
  const res = await api('POST', '/api/logout');
  if (res.status === 204) {
    showSignedOut();
    showWhy({ title: 'Not signed in', lead: 'You signed out.', res: null });
  } else await lostSession(res);
});

on('signout-others', 'click', async () => {
  const res = await api('DELETE', '/api/sessions/others');
  if (res.status === 204) await loadSessions();
  else await lostSession(res);
});

on('signout-everywhere', 'click', async () => {
  const res = await api('DELETE', '/api/sessions');
  if (res.status === 204) {
    showSignedOut();
    showWhy({ title: 'Not signed in', lead: 'You signed out everywhere.', res: null });
  } else await lostSession(res);
});

$('conn-page').textContent = location.origin;
$('conn-api').textContent = API;
$('conn-client').textContent = CLIENT === 'axios' ? 'axios withCredentials' : 'fetch';
$('conn-cred').textContent = FORGET_CREDENTIALS ? 'forgotten' : 'include';
$('conn-cred-pill').classList.toggle('warn', FORGET_CREDENTIALS);

// The state tests and people wait for: "ready" once the first answer is rendered.
refresh(false).catch(showSignedOut).finally(() => { document.body.dataset.state = 'ready'; });
