import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TEXTS } from '../../../src/http/views/texts.js';

// Issue 14 item 5: one text catalogue. Every key exists in Danish and English, no text is empty, the two languages
// differ where they should, and no view keeps texts of its own.

function leaves(value: unknown, path: string[] = []): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) for (const [p, v] of leaves(child, [...path, key])) out.set(p, v);
  } else {
    out.set(path.join('.'), value);
  }
  return out;
}

const sample = (value: unknown): string => (typeof value === 'function' ? String((value as (...a: unknown[]) => unknown)('X', 'Y')) : String(value));

t.test('every key in both languages, none empty', async (t) => {
  const da = leaves(TEXTS.da);
  const en = leaves(TEXTS.en);
  t.same([...da.keys()].sort(), [...en.keys()].sort(), 'the same keys');
  for (const [key, value] of da) {
    t.ok(sample(value).trim().length > 0, `da ${key} is not empty`);
    t.ok(sample(en.get(key)).trim().length > 0, `en ${key} is not empty`);
  }
  t.ok(da.size > 80, `${da.size} texts`);
});

t.test('one voice: the Danish says "Log på" and "din NemID"', async (t) => {
  const all = [...leaves(TEXTS.da).values()].map(sample).join('\n');
  t.notMatch(all, /\bLog(ger)? ind\b/i, 'not "log ind"');
  t.notMatch(all, /\bdit NemID\b/i, 'not "dit NemID"');
  t.match(TEXTS.da.login.title, 'Log på');
});

t.test('views keep no texts of their own', async (t) => {
  const dir = resolve(import.meta.dirname, '../../../src/http/views');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'texts.ts')) {
    const source = readFileSync(join(dir, file), 'utf8');
    t.notMatch(source, /\b(da|en): \{/, `${file} has no per-language text object`);
  }
});
