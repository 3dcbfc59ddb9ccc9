import t from 'tap';
import { birthDateOf, isValidCpr, normalizeCpr } from '../../../src/login/index.js';
import { TEST_USERS } from '../../../src/simulator/users/test-users.js';

t.test('typed with or without the dash, spaces around ignored', async (t) => {
  t.equal(normalizeCpr('120385-1234'), '1203851234');
  t.equal(normalizeCpr('1203851234'), '1203851234');
  t.equal(normalizeCpr('  120385-1234 '), '1203851234');
  for (const bad of ['12038-51234', '120385 1234', '120385--1234', '12038512345', '120385123', 'abcdefghij', '', '１２０３８５１２３４']) {
    t.equal(normalizeCpr(bad), null, JSON.stringify(bad));
  }
  for (const bad of [undefined, null, 1203851234, ['1203851234'], { cpr: '1203851234' }]) t.equal(normalizeCpr(bad), null);
  t.equal(normalizeCpr(`${'1'.repeat(40)}`), null);
});

t.test('the date must be real, with the century from the 7th digit', async (t) => {
  t.equal(normalizeCpr('310485-1234'), null, '31 April');
  t.equal(normalizeCpr('001285-1234'), null, 'day 0');
  t.equal(normalizeCpr('011385-1234'), null, 'month 13');
  t.equal(normalizeCpr('010085-1234'), null, 'month 0');
  t.equal(normalizeCpr('290200-4123'), '2902004123', '29 Feb 2000 (7th digit 4, year 00 → 2000, a leap year)');
  t.equal(normalizeCpr('290200-1123'), null, '29 Feb 1900 is not a date');
  t.equal(normalizeCpr('290296-1123'), '2902961123');
  t.equal(normalizeCpr('290297-1123'), null);
  t.same(birthDateOf('0101375123'), new Date('2037-01-01T00:00:00Z'), '7th digit 5–8, year 00–57 → 2000s');
  t.same(birthDateOf('0101585123'), new Date('1858-01-01T00:00:00Z'));
  t.same(birthDateOf('0101369123'), new Date('2036-01-01T00:00:00Z'));
  t.same(birthDateOf('0101379123'), new Date('1937-01-01T00:00:00Z'));
});

t.test('substitute form (day + 60) is a real date too', async (t) => {
  t.equal(normalizeCpr('720385-1234'), '7203851234');
  t.same(birthDateOf('7203851234'), new Date('1985-03-12T00:00:00Z'));
  t.equal(normalizeCpr('910485-1234'), null, 'substitute for 31 April');
  t.equal(normalizeCpr('920185-1234'), null, 'day 32 in substitute form');
  for (const user of TEST_USERS) {
    if (user.cpr !== undefined) t.ok(isValidCpr(user.cpr), `test user ${user.userId} has a valid substitute CPR`);
  }
});
