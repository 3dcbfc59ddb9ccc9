import t from 'tap';
import { parseXml, singleText } from '../../../src/xml/index.js';
import { isIdpError } from '../../../src/errors/index.js';

const options = { maxBytes: 4096, errorCode: 'SAML_XML_FORBIDDEN' as const };
const refused = (xml: string) => {
  try {
    parseXml(xml, options);
    return false;
  } catch (error) {
    return isIdpError(error, 'SAML_XML_FORBIDDEN');
  }
};

t.test('parses a plain document with a declaration', async (t) => {
  const doc = parseXml('<?xml version="1.0" encoding="UTF-8"?><a x="1">b &amp; c</a>', options);
  t.equal(doc.documentElement.localName, 'a');
  t.equal(singleText(doc.documentElement, 'SAML_XML_FORBIDDEN'), 'b & c');
});

t.test('refuses the constructs attackers use', async (t) => {
  t.ok(refused('<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'), 'DOCTYPE with an entity');
  t.ok(refused('<a>&x;</a>'), 'undeclared entity');
  t.ok(refused('<a><?pi x?></a>'), 'processing instruction');
  t.ok(refused('<a/><b/>'), 'two roots');
  t.ok(refused('<a>'), 'not well-formed');
  t.ok(refused(`<a>${'x'.repeat(5000)}</a>`), 'over the size cap');
});

t.test('singleText refuses a comment that would truncate a value', async (t) => {
  const doc = parseXml('<Issuer>https://sp.example<!---->.evil</Issuer>', options);
  t.throws(() => singleText(doc.documentElement, 'SAML_XML_FORBIDDEN'));
});

t.test('U+0000 and C0 controls but tab, LF and CR are refused, raw or as character references (XML 1.0 Char)', async (t) => {
  for (const bad of ['<a>x\u0000y</a>', '<a b="\u0001"/>', '<a>&#0;</a>', '<a>&#x1F;</a>', '<a ID="&#x0b;"/>', '<a>&#xFFFE;</a>', '<a>&#xD800;</a>']) {
    t.ok(refused(bad), JSON.stringify(bad));
  }
  t.ok(parseXml('<a>\t&#9;&#xA;&#13;\r\n</a>', options), 'tab, LF and CR are characters');
});
