import t from 'tap';
import { readFileSync } from 'node:fs';
import { classifyClientResponse, verifyNemidResponse, type ExpectedProperties } from '../../../src/nemid/index.js';
import { codeOfAsync, codeOf } from './codes.js';
import { ppValidator } from './pp-validator.js';

// Every fixture of test/fixtures/nemid (made by its generate.ts from the real PP responses and keys) through the
// whole checklist with the real validator: each attack must end in its own catalogue code, the controls in VALID.

interface Entry {
  file: string;
  attack: string;
  expect: string;
  at: string;
  expected?: ExpectedProperties;
  revocation?: 'check' | 'skip';
}
const FIXTURES = new URL('../../fixtures/nemid/', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', FIXTURES), 'utf8')) as Entry[];
const validator = ppValidator();

t.ok(manifest.length >= 20, 'the manifest lists the fixtures');

for (const entry of manifest) {
  t.test(`${entry.file}: ${entry.attack} → ${entry.expect}`, async (t) => {
    const bytes = readFileSync(new URL(entry.file, FIXTURES));
    if (entry.file.startsWith('response-field.')) {
      t.equal(codeOf(() => classifyClientResponse(bytes.toString('latin1'))), entry.expect);
      return;
    }
    const run = () =>
      verifyNemidResponse(bytes, {
        validator,
        at: new Date(entry.at),
        expected: entry.expected ?? {},
        ...(entry.revocation ? { revocation: entry.revocation } : {}),
      });
    t.equal(await codeOfAsync(run), entry.expect === 'VALID' ? 'NO_ERROR' : entry.expect);
  });
}
