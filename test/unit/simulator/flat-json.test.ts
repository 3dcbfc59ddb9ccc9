import t from 'tap';
import { readFlatStringObject } from '../../../src/simulator/parameters/flat-json.js';

t.test('reads a flat object of strings, keeping order and exact names', async (t) => {
  t.same(readFlatStringObject(' {"A":"1", "b" : "x\\"y", "C":""} '), { ok: true, entries: [['A', '1'], ['b', 'x"y'], ['C', '']] });
  t.same(readFlatStringObject('{}'), { ok: true, entries: [] });
});

t.test('keeps exact duplicates that JSON.parse would merge', async (t) => {
  t.same(readFlatStringObject('{"A":"1","A":"2"}'), { ok: true, entries: [['A', '1'], ['A', '2']] });
});

t.test('refuses what is not a flat string object', async (t) => {
  t.same(readFlatStringObject('{"A":1}'), { ok: false, reason: 'non-string-value' });
  t.same(readFlatStringObject('{"A":null}'), { ok: false, reason: 'non-string-value' });
  t.same(readFlatStringObject('{"A":{"b":"c"}}'), { ok: false, reason: 'non-string-value' });
  t.same(readFlatStringObject('["A"]'), { ok: false, reason: 'not-object' });
  t.same(readFlatStringObject('"A"'), { ok: false, reason: 'not-object' });
  t.same(readFlatStringObject('{"A":"1",}'), { ok: false, reason: 'not-json' });
  t.same(readFlatStringObject(''), { ok: false, reason: 'not-json' });
});
