// The front end vendors axios's minified UMD build (no build step). It must be the
// exact file of the version package.json pins, and its license must travel with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const web = path.resolve(root, '..', 'cmd', 'sesame', 'web');

test('vendored axios is the pinned npm build, with its license', () => {
  const pinned = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies.axios;
  const vendored = path.join(web, 'vendor', `axios-${pinned}.min.js`);
  assert.ok(existsSync(vendored), `${vendored} is missing: copy node_modules/axios/dist/axios.min.js there`);
  const want = readFileSync(path.join(root, 'node_modules', 'axios', 'dist', 'axios.min.js'));
  assert.ok(readFileSync(vendored).equals(want), `${vendored} differs from axios ${pinned}'s dist/axios.min.js`);
  assert.ok(readFileSync(path.join(web, 'index.html'), 'utf8').includes(`vendor/axios-${pinned}.min.js`),
    `index.html does not load axios ${pinned}`);
  assert.ok(readFileSync(path.join(web, 'vendor', 'axios-LICENSE')).equals(readFileSync(path.join(root, 'node_modules', 'axios', 'LICENSE'))));
});
