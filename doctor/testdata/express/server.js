'use strict';
// Small Express apps, each misconfigured in exactly one way a developer meets in
// practice (see docs/doctor.md), plus correct ones. `sesame doctor` is tested
// against them: it must be right on backends that no one here wrote.
//
//   node server.js SCENARIO PORT [CERT_FILE KEY_FILE]
//
// PORT 0 picks a free port. With CERT_FILE and KEY_FILE it serves HTTPS. When it is
// ready it prints "listening PORT" on stdout.
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const express = require('express');
const session = require('express-session');
const cors = require('cors');

// The front ends the scenarios are deployed for. app.example.test and
// api.example.test are the same site; app.site-a.test and api.site-b.test are not.
const SAME_SITE = 'https://app.example.test';
const CROSS_SITE = 'https://app.site-a.test';
const HTTP_FRONTEND = 'http://app.example.test';
const DEV_FRONTEND = 'http://localhost:5173';

function sessions(cookie, name) {
  return session({
    name: name || 'sid',
    secret: 'doctor-scenario-secret-not-for-production',
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, path: '/', ...cookie },
  });
}

// The API every scenario serves: a JSON login that writes the session, and a
// route that needs it.
function login(req, res) {
  req.session.user = (req.body && req.body.user) || 'ann';
  res.json({ ok: true });
}
function me(req, res) {
  if (!req.session || !req.session.user) {
    return res.status(401).json({ error: 'signed out' });
  }
  res.json({ user: req.session.user });
}
function routes(app, suffix) {
  suffix = suffix || '';
  app.post('/api/login' + suffix, express.json(), login);
  app.get('/api/me' + suffix, me);
}

const scenarios = {
  // Same-site front end, Secure SameSite=Lax cookie, exact origin with credentials.
  correct(app) {
    app.use(cors({ origin: SAME_SITE, credentials: true }));
    app.use(sessions({ secure: true, sameSite: 'lax' }));
    routes(app);
  },
  // Cross-site, done as well as it can be: SameSite=None; Secure; Partitioned.
  'cross-site-partitioned'(app) {
    app.use(cors({ origin: CROSS_SITE, credentials: true }));
    app.use(sessions({ secure: true, sameSite: 'none', partitioned: true }));
    routes(app);
  },
  // Cross-site with SameSite=None; Secure: works only where third-party cookies are allowed.
  'cross-site-none'(app) {
    app.use(cors({ origin: CROSS_SITE, credentials: true }));
    app.use(sessions({ secure: true, sameSite: 'none' }));
    routes(app);
  },
  // cors() with its default origin "*" and credentials.
  'wildcard-with-credentials'(app) {
    app.use(cors({ credentials: true }));
    app.use(sessions({ secure: true, sameSite: 'lax' }));
    routes(app);
  },
  // The origin is allowed, credentials are not.
  'no-credentials'(app) {
    app.use(cors({ origin: SAME_SITE }));
    app.use(sessions({ secure: true, sameSite: 'lax' }));
    routes(app);
  },
  // A cross-site front end with the cookie left at SameSite=Lax.
  'samesite-lax-cross-site'(app) {
    app.use(cors({ origin: CROSS_SITE, credentials: true }));
    app.use(sessions({ secure: true, sameSite: 'lax' }));
    routes(app);
  },
  // SameSite=None without Secure.
  'none-without-secure'(app) {
    app.use(cors({ origin: CROSS_SITE, credentials: true }));
    app.use(sessions({ secure: false, sameSite: 'none' }));
    routes(app);
  },
  // A hand-set Secure cookie served over plain HTTP (express-session would refuse
  // to send it at all; res.cookie does not).
  'secure-over-http'(app) {
    app.use(cors({ origin: [HTTP_FRONTEND, DEV_FRONTEND], credentials: true }));
    app.post('/api/login', express.json(), (req, res) => {
      res.cookie('sid', 'opaque-session-id', { secure: true, httpOnly: true, sameSite: 'lax' });
      res.json({ ok: true });
    });
    app.get('/api/me', (req, res) => res.json({ cookie: req.headers.cookie || null }));
  },
  // express-session with cookie.secure over plain HTTP: it sends no cookie at all.
  'no-cookie'(app) {
    app.use(cors({ origin: DEV_FRONTEND, credentials: true }));
    app.use(sessions({ secure: true, sameSite: 'lax' }));
    routes(app);
  },
  // Authentication before CORS: a preflight carries no cookie, so it gets 401.
  'auth-before-cors'(app) {
    app.use(sessions({ secure: true, sameSite: 'lax' }));
    app.use((req, res, next) => {
      if (req.path === '/api/login' || (req.session && req.session.user)) return next();
      res.status(401).json({ error: 'signed out' });
    });
    app.use(cors({ origin: SAME_SITE, credentials: true }));
    routes(app);
  },
  // cors() only on each method's route: Express answers OPTIONS itself, without CORS.
  'method-routes'(app) {
    const c = cors({ origin: SAME_SITE, credentials: true });
    app.use(sessions({ secure: true, sameSite: 'lax' }));
    app.post('/api/login', c, express.json(), login);
    app.get('/api/me', c, me);
  },
  // A trailing-slash redirect in front of everything, preflights included.
  'preflight-redirect'(app) {
    app.use((req, res, next) => {
      if (req.path.endsWith('/')) return next();
      const q = req.url.slice(req.path.length);
      res.redirect(308, req.path + '/' + q);
    });
    app.use(cors({ origin: SAME_SITE, credentials: true }));
    app.use(sessions({ secure: true, sameSite: 'lax' }));
    routes(app, '/');
  },
  // Something on the way out (standing for a proxy's add_header) adds a second
  // Access-Control-Allow-Origin to the one cors() set.
  'duplicate-acao'(app) {
    app.use((req, res, next) => {
      const writeHead = res.writeHead;
      res.writeHead = function (...args) {
        res.appendHeader('Access-Control-Allow-Origin', SAME_SITE);
        return writeHead.apply(this, args);
      };
      next();
    });
    app.use(cors({ origin: SAME_SITE, credentials: true }));
    app.use(sessions({ secure: true, sameSite: 'lax' }));
    routes(app);
  },
  // Hand-written CORS that echoes the origin without Vary: Origin.
  'no-vary-origin'(app) {
    app.use((req, res, next) => {
      if (req.headers.origin === SAME_SITE) {
        res.set('Access-Control-Allow-Origin', req.headers.origin);
        res.set('Access-Control-Allow-Credentials', 'true');
      }
      if (req.method === 'OPTIONS') {
        res.set('Access-Control-Allow-Methods', 'GET, POST');
        res.set('Access-Control-Allow-Headers', 'Content-Type');
        return res.sendStatus(204);
      }
      next();
    });
    app.use(sessions({ secure: true, sameSite: 'lax' }));
    routes(app);
  },
  // "Expose set-cookie so the front end sees it."
  'expose-set-cookie'(app) {
    app.use(cors({ origin: SAME_SITE, credentials: true, exposedHeaders: ['set-cookie'] }));
    app.use(sessions({ secure: true, sameSite: 'lax' }));
    routes(app);
  },
  // Only X-Requested-With is allowed; a JSON login asks for Content-Type.
  'header-not-allowed'(app) {
    app.use(cors({ origin: SAME_SITE, credentials: true, allowedHeaders: ['X-Requested-With'] }));
    app.use(sessions({ secure: true, sameSite: 'lax' }));
    routes(app);
  },
  // The cookie's Domain is the front end's host, not the API's.
  'domain-mismatch'(app) {
    app.use(cors({ origin: SAME_SITE, credentials: true }));
    app.use(sessions({ secure: true, sameSite: 'lax', domain: 'app.example.test' }));
    routes(app);
  },
  // The allowed origin is written with a trailing slash; cors sends it as is.
  'origin-mismatch'(app) {
    app.use(cors({ origin: SAME_SITE + '/', credentials: true }));
    app.use(sessions({ secure: true, sameSite: 'lax' }));
    routes(app);
  },
  // A __Host- cookie with a Domain attribute.
  'host-prefix-domain'(app) {
    app.use(cors({ origin: SAME_SITE, credentials: true }));
    app.use(sessions({ secure: true, sameSite: 'lax', domain: 'api.example.test' }, '__Host-sid'));
    routes(app);
  },
  // Session data kept in a cookie that outgrows 4096 bytes.
  'too-large'(app) {
    app.use(cors({ origin: SAME_SITE, credentials: true }));
    app.post('/api/login', express.json(), (req, res) => {
      const data = Buffer.from(JSON.stringify({ user: 'ann', prefs: 'x'.repeat(5000) })).toString('base64');
      res.cookie('session', data, { secure: true, httpOnly: true, sameSite: 'lax' });
      res.json({ ok: true });
    });
    app.get('/api/me', (req, res) => res.status(req.headers.cookie ? 200 : 401).json({}));
  },
  // An http: front end calling the https: API of the same domain: cross-site.
  'mixed-scheme'(app) {
    app.use(cors({ origin: HTTP_FRONTEND, credentials: true }));
    app.use(sessions({ secure: true, sameSite: 'lax' }));
    routes(app);
  },
};

function main() {
  const [name, portArg, certFile, keyFile] = process.argv.slice(2);
  const setup = scenarios[name];
  if (!setup || portArg === undefined) {
    console.error('usage: node server.js SCENARIO PORT [CERT_FILE KEY_FILE]\nscenarios: ' + Object.keys(scenarios).join(', '));
    process.exit(2);
  }
  const app = express();
  setup(app);
  const server = certFile
    ? https.createServer({ cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) }, app)
    : http.createServer(app);
  server.listen(Number(portArg), '127.0.0.1', () => {
    console.log('listening ' + server.address().port);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

main();
