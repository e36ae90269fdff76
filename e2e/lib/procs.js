// Processes the tests start: each one is held by its PID, logged to out/logs, and
// stopped by that PID (never by name); whatever is still running when the test process
// exits is killed so a failed run leaves nothing behind.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import https from 'node:https';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export const OUT = path.resolve(import.meta.dirname, '..', 'out');
const running = new Set();

process.on('exit', () => {
  for (const p of running) {
    try { process.kill(p.pid, 'SIGKILL'); } catch { /* already gone */ }
  }
});

// freePort asks the kernel for a loopback port nobody holds right now.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// start runs cmd with args; its output goes to out/logs/<name>.log and to a bounded
// in-memory tail that failure messages quote.
export function start(name, cmd, args, { env, cwd } = {}) {
  const logDir = path.join(OUT, 'logs');
  mkdirSync(logDir, { recursive: true });
  const file = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawn(cmd, args, { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = {
    name,
    pid: child.pid,
    child,
    output: '',
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal }))),
    tail(n = 40) { return this.output.split('\n').slice(-n).join('\n'); },
    stop(signal = 'SIGTERM') { return stop(proc, signal); },
  };
  const keep = (chunk) => {
    file.write(chunk);
    proc.output = (proc.output + chunk).slice(-64 * 1024);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.on('error', (err) => keep(`spawn ${cmd}: ${err.message}\n`));
  running.add(proc);
  proc.exited.then(() => { running.delete(proc); file.end(); });
  return proc;
}

// stop sends signal to the process's PID and waits for it to exit, escalating to
// SIGKILL after five seconds.
export async function stop(proc, signal = 'SIGTERM') {
  if (!running.has(proc)) return proc.exited;
  try { process.kill(proc.pid, signal); } catch { return proc.exited; }
  const timer = setTimeout(() => { try { process.kill(proc.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
  const res = await proc.exited;
  clearTimeout(timer);
  return res;
}

// waitFor polls check() until it resolves truthy, the process dies, or the deadline.
export async function waitFor(what, check, { proc, timeout = 15000 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    if (proc && !running.has(proc)) {
      throw new Error(`${proc.name} exited while waiting for ${what}:\n${proc.tail()}`);
    }
    try {
      if (await check()) return;
    } catch (e) { last = e; }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}${last ? ` (${last.message})` : ''}${proc ? `:\n${proc.tail()}` : ''}`);
}

// get performs one GET and resolves {status, headers, body}. For https it trusts ca
// (the test CA) and sends servername as SNI and Host, connecting to 127.0.0.1.
export function get(url, { ca, headers } = {}) {
  const u = new URL(url);
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request({
      host: '127.0.0.1',
      port: u.port || (u.protocol === 'https:' ? 443 : 80),
      path: u.pathname + u.search,
      method: 'GET',
      headers: { Host: u.host, ...headers },
      servername: u.hostname,
      ca,
      timeout: 3000,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}
