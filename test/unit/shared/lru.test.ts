import t from 'tap';
import { BoundedLru } from '../../../src/shared/index.js';

// The bounded caches' map: never more than its limit, the least recently used goes first, a failed make caches nothing.

t.test('holds at most its limit and evicts the least recently used', async (t) => {
  const lru = new BoundedLru<string, number>(2);
  lru.set('a', 1);
  lru.set('b', 2);
  t.equal(lru.get('a'), 1, 'a used: b is now the oldest');
  lru.set('c', 3);
  t.equal(lru.size, 2);
  t.equal(lru.get('b'), undefined, 'b evicted');
  t.equal(lru.get('a'), 1);
  t.equal(lru.get('c'), 3);
});

t.test('getOrCreate makes once; a make that throws caches nothing', async (t) => {
  const lru = new BoundedLru<string, number>(4);
  let made = 0;
  t.equal(lru.getOrCreate('x', () => ++made), 1);
  t.equal(lru.getOrCreate('x', () => ++made), 1);
  t.equal(made, 1);
  t.throws(() => lru.getOrCreate('y', () => { throw new Error('bad input'); }));
  t.equal(lru.get('y'), undefined);
  t.equal(lru.getOrCreate('y', () => 7), 7);
});

t.test('a limit below one is refused', async (t) => {
  t.throws(() => new BoundedLru(0));
});
