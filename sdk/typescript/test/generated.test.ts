/**
 * The committed src/generated/ is what the generator makes from openapi/openapi.json
 * today: an API change committed without `npm run generate` fails here.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const COMMITTED = path.join(PACKAGE_DIR, 'src/generated');

function files(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = path.join(entry.parentPath, entry.name);
      found.set(path.relative(dir, full), readFileSync(full, 'utf8'));
    }
  }
  return found;
}

test('src/generated matches a fresh generation from openapi/openapi.json', () => {
  const fresh = mkdtempSync(path.join(tmpdir(), 'gateway-sdk-generated-'));
  try {
    execFileSync(process.execPath, [path.join(PACKAGE_DIR, 'scripts/generate.mjs'), fresh], {
      cwd: PACKAGE_DIR,
      stdio: 'pipe',
    });
    const expected = files(fresh);
    const committed = files(COMMITTED);
    const hint = 'src/generated is stale: run `npm run generate` in sdk/typescript and commit it';
    assert.deepEqual([...committed.keys()].sort(), [...expected.keys()].sort(), hint);
    for (const [name, content] of expected) {
      assert.ok(committed.get(name) === content, `${name} differs. ${hint}`);
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
});
