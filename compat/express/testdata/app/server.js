// The Express app sesame's express compatibility mode is tested against:
// express-session with connect-redis, as a real deployment configures them.
// A Go server shares its Redis and its cookie (stores/redisstore/connectredis
// live_test.go starts both).
//
// Environment: PORT (0: any free port; the chosen one is printed as
// "listening <port>"), REDIS_URL, SESSION_SECRETS (one a line, the first
// signs), MAX_AGE_MS (cookie.maxAge; unset: a browser-session cookie).
"use strict";

const express = require("express");
const session = require("express-session");
const cookieParser = require("cookie-parser");
const { RedisStore } = require("connect-redis");
const { createClient } = require("redis");

const secrets = (process.env.SESSION_SECRETS || "").split("\n").filter(Boolean);
if (secrets.length === 0) {
  console.error("SESSION_SECRETS is required");
  process.exit(2);
}
const maxAge = process.env.MAX_AGE_MS ? Number(process.env.MAX_AGE_MS) : undefined;

async function main() {
  const client = createClient({ url: process.env.REDIS_URL });
  client.on("error", (err) => console.error("redis:", err.message));
  await client.connect();

  const app = express();
  app.use(cookieParser(secrets));
  app.use(
    session({
      store: new RedisStore({ client }),
      secret: secrets,
      resave: false,
      saveUninitialized: false,
      cookie: maxAge === undefined ? {} : { maxAge },
    }),
  );

  // What passport's req.login does: a new session ID (session fixation), then
  // req.session.passport.user, written by serializeUser.
  app.post("/express/login", (req, res, next) => {
    req.session.regenerate((err) => {
      if (err) return next(err);
      req.session.passport = { user: String(req.query.user) };
      req.session.save((err) => (err ? next(err) : res.json({ user: req.session.passport.user })));
    });
  });

  app.get("/express/me", (req, res) => {
    const data = {};
    for (const [k, v] of Object.entries(req.session)) {
      if (k !== "cookie" && k !== "passport") data[k] = v;
    }
    res.json({
      user: (req.session.passport && req.session.passport.user) || null,
      data,
      maxAge: req.session.cookie.maxAge,
      expires: req.session.cookie.expires,
    });
  });

  app.post("/express/set", (req, res) => {
    req.session[String(req.query.k)] = String(req.query.v);
    res.json({ ok: true });
  });

  // passport's req.logout() removes passport.user; most apps then destroy the
  // session and clear the cookie, as here.
  app.post("/express/logout", (req, res, next) => {
    req.session.destroy((err) => {
      if (err) return next(err);
      res.clearCookie("connect.sid", { path: "/" });
      res.json({ ok: true });
    });
  });

  app.use((err, req, res, next) => {
    res.status(500).json({ error: String(err) });
  });

  const server = app.listen(Number(process.env.PORT || 0), "127.0.0.1", () => {
    console.log(`listening ${server.address().port}`);
  });
  const stop = () => {
    server.close();
    client.quit().finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
