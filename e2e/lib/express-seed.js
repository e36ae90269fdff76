// The seeds' recipe, verbatim in spirit: Express + express-session + cors behind a
// TLS-terminating proxy, with `trust proxy` 1, `sameSite: 'none'`, `secure: true`
// and `cors({origin, credentials: true})`. It is what the common tutorials on
// express-session tell a reader to deploy for a cross-site front end; the e2e
// tests show a default Chromium profile rejecting its cookie (UserPreferences),
// next to sesame's derived policy, which works.
//
// usage: node express-seed.js PORT FRONTEND_ORIGIN [no-trust-proxy]
// With no-trust-proxy it leaves out `app.set('trust proxy', 1)`, the step the
// seeds warn about: express-session then thinks the request is plain HTTP and
// silently sends no Set-Cookie at all.
import express from 'express';
import session from 'express-session';
import cors from 'cors';

const [port, frontend, mode] = process.argv.slice(2);
const app = express();
if (mode !== 'no-trust-proxy') app.set('trust proxy', 1);
app.use(cors({ origin: frontend, credentials: true }));
app.use(express.json());
app.use(session({
  secret: 'seed recipe, e2e only',
  resave: false,
  saveUninitialized: false,
  cookie: { sameSite: 'none', secure: true, httpOnly: true, maxAge: 600000 },
}));
app.post('/api/login', (req, res) => {
  req.session.user = req.body.username;
  res.json({ user: { name: req.body.username } });
});
app.get('/api/me', (req, res) => {
  if (!req.session.user) return res.status(401).type('application/problem+json').json({ title: 'not signed in' });
  res.json({ user: { name: req.session.user }, session: { expires: req.session.cookie.expires } });
});
app.listen(Number(port), '127.0.0.1', () => console.log(`express seed on ${port}`));
