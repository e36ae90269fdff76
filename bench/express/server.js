'use strict';
// The Express contestant of sesame's side-by-side benchmark: the same endpoints as
// bench/cmd/server, built the way an Express user would build them.
//
//   PORT=0 REDIS_URL=redis://127.0.0.1:6379 PREFIX=bench: node server.js
//
// PORT 0 picks a free port. When it is ready it prints "listening PORT" on stdout.
//
//   GET  /bare                          plain handler, the reference
//   POST /express-mem/login             express-session + MemoryStore: new session (regenerate)
//   GET  /express-mem/read              the session's user (401 without one)
//   POST /express-mem/write             sets "n" to a fresh number, answers it
//   GET  /express-mem/peek              the session's "n"
//   .../express-redis/...               the same with connect-redis
//   OPTIONS, GET /express-cors/api      cors(): preflight and actual request
const express = require('express');
const session = require('express-session');
const cors = require('cors');
const { RedisStore } = require('connect-redis');
const { createClient } = require('redis');

const ORIGIN = 'https://app.example.com';
const SECRET = 'sesame-bench-secret-not-for-production-0123456789';
const prefix = process.env.PREFIX || 'bench:';

let counter = 0;

function sessionRoutes(app, base, store) {
  const mw = session({
    name: 'sid',
    secret: SECRET,
    store,
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 24 * 3600 * 1000 },
  });
  const r = express.Router();
  r.use(mw);
  r.post('/login', (req, res, next) => {
    req.session.regenerate((err) => {
      if (err) return next(err);
      counter++;
      req.session.user = 'u' + counter;
      res.type('text/plain').send('ok');
    });
  });
  r.get('/read', (req, res) => {
    const u = req.session.user;
    if (!u) return res.status(401).type('text/plain').send('no session');
    res.type('text/plain').send(u);
  });
  r.post('/write', (req, res) => {
    counter++;
    req.session.n = String(counter);
    res.type('text/plain').send(req.session.n);
  });
  r.get('/peek', (req, res) => {
    res.type('text/plain').send(req.session.n || '');
  });
  app.use(base, r);
}

async function main() {
  const app = express();
  app.get('/bare', (req, res) => {
    res.type('text/plain').send('ok');
  });

  sessionRoutes(app, '/express-mem', new session.MemoryStore());

  const client = createClient({ url: process.env.REDIS_URL || 'redis://127.0.0.1:6379' });
  client.on('error', (err) => console.error('redis:', err.message));
  await client.connect();
  sessionRoutes(app, '/express-redis', new RedisStore({ client, prefix: prefix + 'express:' }));

  const c = cors({
    origin: [ORIGIN],
    credentials: true,
    methods: ['GET', 'HEAD', 'POST', 'PUT'],
    allowedHeaders: ['Content-Type'],
  });
  app.use('/express-cors/api', c, (req, res) => {
    res.type('text/plain').send('ok');
  });

  const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
    console.log('listening ' + server.address().port);
  });
  const stop = () => {
    server.close();
    client.quit().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
