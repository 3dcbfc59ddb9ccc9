import t from 'tap';
import { chooseLanguage, negotiateLanguage, parseLanguage } from '../../../src/shared/index.js';

// Issue 14 item 4: one parser for the IdP, the simulator and the demo SP.

t.test('language tags and codes', async (t) => {
  t.equal(parseLanguage('da'), 'da');
  t.equal(parseLanguage('EN-gb'), 'en');
  t.equal(parseLanguage('da_DK'), 'da');
  t.equal(parseLanguage('eng'), 'en');
  t.equal(parseLanguage('sv'), undefined);
  t.equal(parseLanguage(['en']), undefined, 'a repeated parameter is no choice');
  t.equal(parseLanguage(undefined), undefined);
});

t.test('Accept-Language by quality; Danish wins ties', async (t) => {
  t.equal(negotiateLanguage('sv-SE,en;q=0.5'), 'en', 'Swedish is not offered: English at 0.5 is the best we have');
  t.equal(negotiateLanguage('en-US,en;q=0.9,da;q=0.8'), 'en');
  t.equal(negotiateLanguage('en,da'), 'da', 'equal quality: Danish');
  t.equal(negotiateLanguage('da;q=0.3,en;q=0.7'), 'en', 'order does not matter, quality does');
  t.equal(negotiateLanguage('en;q=0,da;q=0.1'), 'da', 'q=0 means not acceptable');
  t.equal(negotiateLanguage('fr, de'), undefined);
  t.equal(negotiateLanguage(''), undefined);
  t.equal(negotiateLanguage('en;q=abc'), undefined);
});

t.test('explicit choices first, then the header, then Danish', async (t) => {
  t.equal(chooseLanguage(['en'], 'da'), 'en');
  t.equal(chooseLanguage([undefined, 'xx', 'en'], 'da'), 'en');
  t.equal(chooseLanguage([], 'en'), 'en');
  t.equal(chooseLanguage([], 'fr'), 'da');
});
