// The demo binary (built by run.sh into out/sesame) and the processes around it.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { OUT, start, waitFor, get, freePort } from './procs.js';

export const BIN = process.env.SESAME_BIN || path.join(OUT, 'sesame');

// startDemo runs `sesame demo` with the API on 127.0.0.1:apiPort (or the host in
// apiAddr) and waits for /healthz. Extra flags pass through unchanged.
export async function startDemo(name, { apiAddr, appAddr = '', flags = [] }) {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run e2e/run.sh (it builds ./cmd/sesame)`);
  const proc = start(name, BIN, ['demo', `--api-addr=${apiAddr}`, `--app-addr=${appAddr}`, ...flags]);
  const port = apiAddr.split(':').pop();
  await waitFor(`${name} /healthz`, async () => (await get(`http://127.0.0.1:${port}/healthz`)).status === 200, { proc });
  return proc;
}

// startRedis runs a private, non-persistent redis-server on a free loopback port.
export async function startRedis(name) {
  const port = await freePort();
  const proc = start(name, 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']);
  await waitFor(`${name} on ${port}`, () => proc.output.includes('Ready to accept connections'), { proc });
  return { proc, url: `redis://127.0.0.1:${port}` };
}
