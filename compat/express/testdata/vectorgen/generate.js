#!/usr/bin/env node
// Writes sesame's Express interop vectors: what the real express-session,
// connect-redis, cookie-parser and cookie-signature produce for the inputs in
// cases.json. Usage (from the repository root, or `make vectors`):
//
//   node compat/express/testdata/vectorgen/generate.js compat/express/testdata/vectors
//
// It needs redis-server on PATH: it starts its own on a free loopback port and
// stops it (by the PID it started) when done. The format of the output is
// documented in ../vectors/README.md. Node's clock is frozen (Date.now) at each
// step's "clock", so every byte is reproducible except the one scenario marked
// "nondeterministic".
'use strict';

const assert = require('node:assert');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');

const express5 = require('express');
const express4 = require('express4');
const session = require('express-session');
const cookieParser = require('cookie-parser');
const { RedisStore } = require('connect-redis');
const { createClient } = require('redis');

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node generate.js OUTPUT_DIR');
  process.exit(2);
}
const cases = JSON.parse(fs.readFileSync(path.join(__dirname, 'cases.json'), 'utf8'));

// ---- the frozen clock ------------------------------------------------------

const FROZEN = '2030-01-02T03:04:05.678Z';
let clock = Date.parse(FROZEN);
Date.now = () => clock; // every time calculation in these packages goes through Date.now

// ---- the packages and their nested copies ----------------------------------

// nested is the copy of name that parent loads, and its directory.
function nested(parent, name) {
  const p = require.resolve(name, { paths: [pkgDir(parent)] });
  let dir = path.dirname(p);
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return { mod: require(p), dir };
}
function version(dir) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
}
// pkgDir is a top-level package's directory (some packages export no
// package.json, so it is found by path).
function pkgDir(name) {
  return path.join(__dirname, 'node_modules', name);
}
const signers = [
  { ...nested('express-session', 'cookie-signature'), used_by: ['express-session (connect.sid sign + unsign)'] },
  { ...nested('cookie-parser', 'cookie-signature'), used_by: ['cookie-parser (unsign of s: cookies)'] },
  { ...nested('express', 'cookie-signature'), used_by: ['express 5 res.cookie(..., {signed:true})'] },
  { ...nested('express4', 'cookie-signature'), used_by: ['express 4 res.cookie(..., {signed:true})'] },
];
const sign = signers[0].mod.sign;

function versions() {
  return {
    node: process.version,
    express: version(pkgDir('express')),
    'express (v4 cross-check, npm alias express4)': version(pkgDir('express4')),
    'express-session': version(pkgDir('express-session')),
    'connect-redis': version(pkgDir('connect-redis')),
    redis: version(pkgDir('redis')),
    'cookie-parser': version(pkgDir('cookie-parser')),
    'cookie-signature (as loaded by express-session)': version(signers[0].dir),
    'cookie-signature (as loaded by cookie-parser)': version(signers[1].dir),
    'cookie-signature (as loaded by express 5 res.cookie)': version(signers[2].dir),
    'cookie (as loaded by express-session)': version(nested('express-session', 'cookie').dir),
    'cookie (as loaded by cookie-parser)': version(nested('cookie-parser', 'cookie').dir),
    'cookie (as loaded by express 5)': version(nested('express', 'cookie').dir),
    'uid-safe (express-session default genid)': version(nested('express-session', 'uid-safe').dir),
  };
}

function header() {
  return {
    generated_by: `vectorgen/generate.js (node ${process.version})`,
    versions: versions(),
    frozen_clock_start: FROZEN,
  };
}

function hex(s) {
  return Buffer.from(s, 'utf8').toString('hex');
}

// ---- cookie-signature ------------------------------------------------------

function signatureVectors() {
  const c = cases['cookie-signature'];
  const all = (f) => {
    const got = signers.map((s) => f(s.mod));
    for (const g of got) assert.deepStrictEqual(g, got[0], 'the copies of cookie-signature disagree');
    return got[0];
  };
  let plus = 0;
  let slash = 0;
  const signOut = c.sign.map((k) => {
    const value = typeof k.value === 'string' ? k.value : k.value.repeat.repeat(k.value.times);
    const signed = all((m) => m.sign(value, k.secret));
    const signature = signed.slice(signed.lastIndexOf('.') + 1);
    if (signature.includes('+')) plus++;
    if (signature.includes('/')) slash++;
    const o = { name: k.name, secret: k.secret, value, signed, signature };
    o.hmac_sha256_hex = crypto.createHmac('sha256', k.secret).update(value, 'utf8').digest('hex');
    if (/[^\x00-\x7f]/.test(value) || typeof k.value !== 'string') o.value_utf8_hex = hex(value);
    if (k.value_note) o.value_note = k.value_note;
    if (/[^\x00-\x7f]/.test(k.secret)) o.secret_utf8_hex = hex(k.secret);
    if (k.note) o.note = k.note;
    return o;
  });
  const unsignOut = c.unsign.map((k) => {
    const o = { name: k.name, secret: k.secret, input: k.input, expected: all((m) => m.unsign(k.input, k.secret)) };
    if (k.note) o.note = k.note;
    return o;
  });
  const functionLevel = c.rotation.function_level.map((k) => {
    // express-session's unsigncookie / cookie-parser's signedCookie: each secret in order.
    let expected = false;
    let matched = null;
    for (let i = 0; i < k.secrets.length && matched === null; i++) {
      const v = signers[0].mod.unsign(k.cookie_value.slice(2), k.secrets[i]);
      if (v !== false) {
        expected = v;
        matched = i;
      }
    }
    return { name: k.name, secrets: k.secrets, cookie_value: k.cookie_value, expected, matched_secret_index: matched };
  });
  return {
    ...header(),
    description: c.meta.description,
    implementations_checked: signers.map((s) => ({
      version: version(s.dir),
      path: path.relative(path.join(__dirname), s.dir),
      used_by: s.used_by,
    })),
    signatures_containing_plus_slash: `${plus}/${slash}`,
    sign: signOut,
    unsign: unsignOut,
    rotation: { description: c.rotation.description, function_level: functionLevel },
  };
}

// ---- HTTP helpers ----------------------------------------------------------

function listen(app) {
  return new Promise((resolve) => {
    const srv = app.listen(0, '127.0.0.1', () => resolve(srv));
  });
}

function request(port, req) {
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, headers: req.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode, set_cookie: res.headers['set-cookie'] || [], body: body ? JSON.parse(body) : null }));
    });
    r.on('error', reject);
    r.end();
  });
}

// decodeValue is the Node cookie package's decode: decodeURIComponent only when
// the value holds a '%', the raw value when that throws.
function decodeValue(raw) {
  if (!raw.includes('%')) return raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function splitSetCookie(line) {
  const parts = line.split('; ');
  const eq = parts[0].indexOf('=');
  return {
    name: parts[0].slice(0, eq),
    raw_value: parts[0].slice(eq + 1),
    attributes: parts.slice(1).map((a) => {
      const i = a.indexOf('=');
      return i < 0 ? [a] : [a.slice(0, i), a.slice(i + 1)];
    }),
  };
}

function decodeSessionCookie(line, secrets) {
  const { name, raw_value, attributes } = splitSetCookie(line);
  const value = decodeValue(raw_value);
  const o = { line, name, raw_value, attributes, value };
  if (value.startsWith('s:')) {
    const signed = value.slice(2);
    const dot = signed.lastIndexOf('.');
    o.session_id = signed.slice(0, dot);
    o.signature = signed.slice(dot + 1);
    const i = secrets.findIndex((s) => sign(o.session_id, s) === signed);
    if (i >= 0) o.signed_with_secret_index = i;
  }
  return o;
}

// ---- cookie-parser and res.cookie ------------------------------------------

function resCookieArgs(k) {
  const name = /^res\.(?:clear)?[cC]ookie\("([^"]+)"/.exec(k.call)[1];
  let options = k.options;
  if (options && typeof options === 'object' && options.expires) {
    options = { ...options, expires: new Date(options.expires.Date) };
  }
  return { name, options };
}

async function parserApp(express, secrets) {
  const app = express();
  app.use(cookieParser(secrets));
  app.get('/set/:i', (req, res) => {
    const k = cases['cookie-parser'].set[Number(req.params.i)];
    const { name, options } = resCookieArgs(k);
    if (options === 'clear') res.clearCookie(name);
    else if (options === null) res.cookie(name, k.value);
    else res.cookie(name, k.value, options);
    res.json({});
  });
  app.get('/parse', (req, res) => {
    res.json({ secret: req.secret ?? null, cookies: req.cookies, signedCookies: req.signedCookies });
  });
  return listen(app);
}

async function parserVectors() {
  const c = cases['cookie-parser'];
  const srv = await parserApp(express5, c.secrets);
  const srv4 = await parserApp(express4, c.secrets);
  const bare = await parserApp(express5, undefined);
  const port = (s) => s.address().port;
  const parse = async (s, header) =>
    (await request(port(s), { method: 'GET', path: '/parse', headers: { Cookie: header } })).body;
  clock = Date.parse(FROZEN);
  const set = [];
  for (const [i, k] of c.set.entries()) {
    const got = await request(port(srv), { method: 'GET', path: `/set/${i}`, headers: {} });
    const got4 = await request(port(srv4), { method: 'GET', path: `/set/${i}`, headers: {} });
    assert.deepStrictEqual(got4.set_cookie, got.set_cookie, `${k.name}: express 4 and 5 differ`);
    const line = got.set_cookie[0];
    const { name, raw_value, attributes } = splitSetCookie(line);
    const decoded = decodeValue(raw_value);
    const requestHeader = `${name}=${raw_value}`;
    const o = {
      name: k.name, call: k.call, value: k.value, options: k.options, set_cookie: line, cookie_name: name,
      raw_value, url_decoded_value: decoded, attributes, request_cookie_header: requestHeader,
      parsed: await parse(srv, requestHeader),
    };
    if (decoded.startsWith('s:')) {
      const signed = decoded.slice(2);
      const dot = signed.lastIndexOf('.');
      o.signed_payload = signed.slice(0, dot);
      o.signature = signed.slice(dot + 1);
      o.signed_with_secret_index = c.secrets.findIndex((s) => sign(o.signed_payload, s) === signed);
    }
    if (k.note) o.note = k.note;
    set.push(o);
  }
  const parseCase = async (s, k) => {
    const o = { name: k.name, request_cookie_header: k.request_cookie_header, parsed: await parse(s, k.request_cookie_header) };
    if (k.note) o.note = k.note;
    return o;
  };
  const parsed = [];
  for (const k of c.parse) parsed.push(await parseCase(srv, k));
  const without = [];
  for (const k of c.without_secret.cases) without.push(await parseCase(bare, k));
  for (const s of [srv, srv4, bare]) s.close();
  return {
    ...header(),
    description: c.meta.description,
    express4_cross_check: c.meta.express4_cross_check,
    secrets: c.secrets,
    set,
    parse: parsed,
    without_secret: { description: c.without_secret.description, cases: without },
  };
}

// ---- express-session (and connect-redis) servers ---------------------------

// The test app's routes (express-session.json "routes").
function sessionApp(express, sc, store) {
  const o = sc.session_options;
  const opts = { secret: o.secret, resave: o.resave, saveUninitialized: o.saveUninitialized };
  for (const k of ['name', 'rolling', 'proxy', 'cookie']) if (k in o) opts[k] = o[k];
  if (o.genid.startsWith('fixed queue: ')) {
    const queue = JSON.parse(o.genid.slice('fixed queue: '.length));
    opts.genid = () => queue.shift();
  }
  if (store) opts.store = store;
  const app = express();
  if (sc.express_trust_proxy !== null && sc.express_trust_proxy !== undefined) app.set('trust proxy', sc.express_trust_proxy);
  app.use(session(opts));
  const body = (req) => {
    if (!req.session) return { sessionID: req.sessionID ?? null, data: null };
    const data = JSON.parse(JSON.stringify(req.session));
    delete data.cookie;
    return { sessionID: req.sessionID, data };
  };
  const r = express.Router();
  r.get('/login', (req, res) => {
    req.session.user = 'alice';
    res.json(body(req));
  });
  r.get('/view', (req, res) => res.json(body(req)));
  r.get('/modify', (req, res) => {
    req.session.counter = (req.session.counter || 0) + 1;
    res.json(body(req));
  });
  r.get('/data', (req, res) => {
    Object.assign(req.session, {
      user: { id: 42, name: 'Zo\u00eb \u00d8rsted \u{1F36A}', roles: ['admin', 'user'] },
      html: '<script>alert("x")</script> & more',
      separators: 'a\u2028b\u2029c',
      control: 'tab\there\nnewline "quoted" back\\slash \u0001',
      float: 1.5, big: 1e21, small: 0.1, negZero: -0, flag: false, nothing: null,
      when: new Date(Date.now()), emptyObj: {}, emptyArr: [], gone: undefined,
    });
    res.json(body(req));
  });
  const destroy = (clear) => (req, res, next) => {
    const id = req.sessionID;
    req.session.destroy((err) => {
      if (err) return next(err);
      if (clear) res.clearCookie(o.name || 'connect.sid');
      res.json({ destroyed: id });
    });
  };
  r.get('/logout', destroy(false));
  r.get('/logout-clear', destroy(true));
  r.get('/regenerate', (req, res, next) => {
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.user = 'alice';
      res.json(body(req));
    });
  });
  r.get('/outside', (req, res) => res.json(body(req)));
  app.use('/app', r);
  app.use('/', r);
  // eslint-disable-next-line no-unused-vars
  app.use((err, req, res, next) => res.status(500).json({ error: String(err) }));
  return app;
}

async function runScenario(express, sc, redis) {
  let store;
  if (redis) {
    const so = { ...sc.store_options };
    delete so.client;
    store = new RedisStore({ client: redis.app, ...so });
    await redis.admin.flushAll();
  }
  const srv = await listen(sessionApp(express, sc, store));
  const port = srv.address().port;
  const keys = [];
  const seen = (k) => keys.includes(k) || keys.push(k);
  const steps = [];
  for (const st of sc.steps) {
    clock = Date.parse(st.clock);
    const out = { label: st.label, clock: st.clock };
    if (st.redis_setup) {
      out.redis_setup = st.redis_setup;
      for (const cmd of st.redis_setup) {
        await redis.admin.sendCommand(cmd);
        seen(cmd[1]);
      }
    }
    out.request = st.request;
    const mark = redis && (await redis.monitor.begin());
    out.response = await request(port, st.request);
    out.set_cookie_decoded = out.response.set_cookie.map((l) => decodeSessionCookie(l, sc.session_options.secret));
    if (redis) {
      out.redis_commands = await redis.monitor.end(mark);
      for (const c of out.redis_commands) if (c.length > 1 && c[0] !== 'SCAN') seen(c[1]);
      out.redis_after = [];
      for (const key of keys) {
        const exists = (await redis.admin.exists(key)) === 1;
        out.redis_after.push({ key, exists, value: exists ? await redis.admin.get(key) : null, ttl: await redis.admin.ttl(key) });
      }
    }
    steps.push(out);
  }
  srv.close();
  const o = { name: sc.name, description: sc.description };
  if (sc.nondeterministic) o.nondeterministic = sc.nondeterministic;
  o.express_trust_proxy = sc.express_trust_proxy;
  o.session_options = sc.session_options;
  o.steps = steps;
  if (sc.record_written) o.record_written = sc.record_written;
  if (sc.store_options) o.store_options = sc.store_options;
  return o;
}

// crossCheck runs a deterministic scenario under express 4 too: the claim in
// express4_cross_check must hold.
async function crossCheck(sc, got, redis) {
  if (sc.nondeterministic) return;
  const again = await runScenario(express4, sc, redis);
  assert.deepStrictEqual(again, got, `${sc.name}: express 4 differs from express 5`);
}

async function sessionVectors() {
  const c = cases['express-session'];
  const scenarios = [];
  for (const sc of c.scenarios) {
    const got = await runScenario(express5, sc, null);
    await crossCheck(sc, got, null);
    scenarios.push(got);
  }
  const live = scenarios.find((s) => s.name === cases['cookie-signature'].rotation.live_express_session.scenario);
  const secrets = live.session_options.secret;
  const rotation = {
    description: cases['cookie-signature'].rotation.live_express_session.description,
    steps: live.steps.map((st, i) => ({
      step: cases['cookie-signature'].rotation.live_express_session.steps[i],
      secrets,
      request_cookie: st.request.headers.Cookie ?? null,
      session_id_seen_by_server: st.response.body.sessionID,
      response_set_cookie: st.response.set_cookie,
      response_signed_with_secret_index: st.set_cookie_decoded[0]?.signed_with_secret_index ?? null,
    })),
  };
  return [{ ...header(), description: c.meta.description, express4_cross_check: c.meta.express4_cross_check, routes: c.meta.routes, scenarios }, rotation];
}

// ---- Redis: a private server, MONITOR ---------------------------------------

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

// parseMonitor reads one MONITOR line: +TIME [DB ADDR] "ARG" "ARG"...
function parseMonitor(line) {
  const m = /^\+[\d.]+ \[\d+ ([^\]]+)\] (.*)$/.exec(line);
  if (!m) return null;
  const args = [];
  const s = m[2];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ') { i++; continue; }
    assert.strictEqual(s[i], '"', `MONITOR: ${line}`);
    i++;
    const bytes = [];
    while (s[i] !== '"') {
      if (s[i] === '\\') {
        const e = s[i + 1];
        const simple = { n: 10, r: 13, t: 9, a: 7, b: 8, '"': 34, '\\': 92 };
        if (e === 'x') {
          bytes.push(parseInt(s.slice(i + 2, i + 4), 16));
          i += 4;
        } else {
          bytes.push(simple[e]);
          i += 2;
        }
      } else {
        bytes.push(...Buffer.from(s[i], 'utf8'));
        i++;
      }
    }
    i++;
    args.push(Buffer.from(bytes).toString('utf8'));
  }
  return { addr: m[1], args };
}

async function startRedis() {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'vectorgen-redis-'));
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  let admin;
  for (let i = 0; ; i++) {
    try {
      admin = createClient({ url });
      admin.on('error', () => {});
      await admin.connect();
      break;
    } catch (e) {
      if (i > 100) throw new Error(`redis-server did not start on ${url}: ${e}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const app = createClient({ url });
  await app.connect();
  const appAddr = /(?:^| )addr=(\S+)/.exec(await app.sendCommand(['CLIENT', 'INFO']))[1];
  const version = /redis_version:(\S+)/.exec(await admin.info('server'))[1];

  // The monitor: a raw connection, its lines kept in order.
  const sock = net.connect(port, '127.0.0.1');
  let buf = '';
  const lines = [];
  let waiter = null;
  sock.setEncoding('latin1');
  sock.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      lines.push(Buffer.from(buf.slice(0, i), 'latin1').toString('latin1'));
      buf = buf.slice(i + 2);
    }
    if (waiter) waiter();
  });
  sock.write('MONITOR\r\n');
  let n = 0;
  const waitFor = async (marker) => {
    for (;;) {
      const j = lines.findIndex((l) => l.includes(`"${marker}"`));
      if (j >= 0) return j;
      await new Promise((r) => (waiter = r));
    }
  };
  const monitor = {
    async begin() {
      const marker = `vectorgen-begin-${++n}`;
      await admin.echo(marker);
      const j = await waitFor(marker);
      lines.splice(0, j + 1);
      return n;
    },
    async end(id) {
      const marker = `vectorgen-end-${id}`;
      await admin.echo(marker);
      const j = await waitFor(marker);
      const got = lines.splice(0, j + 1);
      return got
        .map((l) => parseMonitor(Buffer.from(l, 'latin1').toString('latin1')))
        .filter((m) => m && m.addr === appAddr)
        .map((m) => m.args);
    },
  };
  return {
    admin, app, monitor, version,
    async stop() {
      sock.destroy();
      await app.quit();
      await admin.quit();
      proc.kill('SIGTERM');
      await new Promise((r) => proc.on('exit', r));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function redisVectors(redis) {
  const c = cases['connect-redis'];
  const run = async (list) => {
    const out = [];
    for (const sc of list) {
      const got = await runScenario(express5, sc, redis);
      await crossCheck(sc, got, redis);
      out.push(got);
    }
    return out;
  };
  const scenarios = await run(c.scenarios);
  const foreign = await run(c.foreign_records.cases);
  const h = header();
  return {
    generated_by: h.generated_by, versions: h.versions, frozen_clock_start: h.frozen_clock_start,
    redis_server: redis.version,
    description: c.meta.description, api: c.meta.api, express4_cross_check: c.meta.express4_cross_check,
    scenarios,
    foreign_records: { description: c.foreign_records.description, cases: foreign },
  };
}

// ---- main -------------------------------------------------------------------

function write(name, v) {
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, name), JSON.stringify(v, null, 2) + '\n');
  console.log(`vectorgen: wrote ${path.join(outDir, name)}`);
}

(async () => {
  const signature = signatureVectors();
  const [sessions, live] = await sessionVectors();
  signature.rotation.live_express_session = live;
  write('cookie-signature.json', signature);
  write('cookie-parser.json', await parserVectors());
  write('express-session.json', sessions);
  const redis = await startRedis();
  try {
    write('connect-redis.json', await redisVectors(redis));
  } finally {
    await redis.stop();
  }
})().catch((e) => {
  console.error('vectorgen:', e);
  process.exit(1);
});
