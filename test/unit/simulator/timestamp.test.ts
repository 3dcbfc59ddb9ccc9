import t from 'tap';
import { parsePlainTimestamp, parseTimestamp } from '../../../src/simulator/parameters/timestamp.js';

const b64 = (text: string) => Buffer.from(text, 'ascii').toString('base64');

t.test('the forms NemID accepted', async (t) => {
  t.equal(parsePlainTimestamp('2021-05-13 12:00:00+0000')?.toISOString(), '2021-05-13T12:00:00.000Z');
  t.equal(parsePlainTimestamp('2014-06-03 07:09:13+0200')?.toISOString(), '2014-06-03T05:09:13.000Z');
  t.equal(parsePlainTimestamp('2021-05-13 14:00:00 CEST')?.toISOString(), '2021-05-13T12:00:00.000Z');
  t.equal(parsePlainTimestamp('2021-05-13 14:00:00')?.toISOString(), '2021-05-13T12:00:00.000Z', 'no zone: Danish summer time');
  t.equal(parsePlainTimestamp('2021-01-13 13:00:00')?.toISOString(), '2021-01-13T12:00:00.000Z', 'no zone: Danish winter time');
  t.equal(parsePlainTimestamp('1620907200000')?.toISOString(), '2021-05-13T12:00:00.000Z');
});

t.test('refuses malformed values', async (t) => {
  t.equal(parsePlainTimestamp('1620907200000.0'), null);
  t.equal(parsePlainTimestamp('2021-02-30 12:00:00+0000'), null);
  t.equal(parsePlainTimestamp('2021-05-13T12:00:00Z'), null);
  t.equal(parsePlainTimestamp('2021-05-13 12:00:00 XYZ'), null);
});

t.test('encoding follows how the value was sent', async (t) => {
  t.equal(parseTimestamp('2021-05-13 12:00:00+0000', { plain: true, base64: true })?.encoding, 'xml');
  const sent = b64('2021-05-13 12:00:00+0000');
  t.equal(parseTimestamp(sent, { plain: true, base64: true })?.encoding, 'base64');
  t.equal(parseTimestamp(sent, { plain: true, base64: true })?.instant.toISOString(), '2021-05-13T12:00:00.000Z');
  t.equal(parseTimestamp('2021-05-13 12:00:00+0000', { plain: false, base64: true }), null, 'CodeFile: base64 only');
});
