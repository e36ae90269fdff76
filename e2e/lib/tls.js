// A throwaway certificate authority and one leaf for every test hostname, made with
// openssl for this run only. Chromium trusts the leaf by the SHA-256 of its
// SubjectPublicKeyInfo (--ignore-certificate-errors-spki-list), which keeps the page
// "secure": Secure cookies and Partitioned cookies behave as on a real deployment.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash, X509Certificate } from 'node:crypto';
import path from 'node:path';

export const NAMES = [
  'example.test', '*.example.test',
  'site-a.test', '*.site-a.test',
  'site-b.test', '*.site-b.test',
];

function openssl(args, cwd) {
  return execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

// makeCerts writes ca.crt, leaf.crt and leaf.key under dir and returns their paths,
// the CA in PEM (for Node clients) and the leaf's SPKI hash (for Chromium).
export function makeCerts(dir) {
  mkdirSync(dir, { recursive: true });
  const curve = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(['req', '-x509', ...curve, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '7',
    '-subj', '/CN=sesame e2e throwaway CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  openssl(['req', ...curve, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', '/CN=sesame e2e'], dir);
  // Browsers require a SAN for every name, the serverAuth EKU, and a validity under
  // 398 days (CA/Browser Forum baseline requirements).
  writeFileSync(path.join(dir, 'leaf.ext'), [
    `subjectAltName=${NAMES.map((n) => `DNS:${n}`).join(',')}`,
    'extendedKeyUsage=serverAuth',
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    '',
  ].join('\n'));
  openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial',
    '-out', 'leaf.crt', '-days', '7', '-extfile', 'leaf.ext'], dir);

  const leafPEM = readFileSync(path.join(dir, 'leaf.crt'));
  const spkiDER = new X509Certificate(leafPEM).publicKey.export({ type: 'spki', format: 'der' });
  return {
    ca: readFileSync(path.join(dir, 'ca.crt')),
    cert: path.join(dir, 'leaf.crt'),
    key: path.join(dir, 'leaf.key'),
    spki: createHash('sha256').update(spkiDER).digest('base64'),
  };
}
