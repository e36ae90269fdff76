// Chromium as this machine runs it (see the shared e2e recipe): Debian's binary driven
// by playwright-core, never a downloaded browser, fake hostnames mapped to loopback.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.SESAME_CHROMIUM || '/usr/bin/chromium';

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // Every test hostname is on loopback: app.example.test → api.example.test is
  // same-site, app.site-a.test → api.site-b.test is cross-site.
  '--host-resolver-rules=MAP *.example.test 127.0.0.1, MAP *.site-a.test 127.0.0.1, MAP *.site-b.test 127.0.0.1',
];

// launch starts a headless Chromium with its default profile, which blocks
// third-party cookies (profile.cookie_controls_mode = 1). spki, the base64 SHA-256
// of the test leaf's SubjectPublicKeyInfo, makes the throwaway TLS certificate
// trusted without marking the page insecure.
export async function launch({ spki } = {}) {
  const args = [...BASE_ARGS];
  if (spki) args.push(`--ignore-certificate-errors-spki-list=${spki}`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args });
}
