// The checker the junit tests rely on must itself reject what real XML parsers reject.
import { describe, expect, it } from 'vitest';
import { parseXml, textOf, XmlError } from './xml-check.js';

describe('xml-check (test helper)', () => {
  it.each([
    ['control character', '<a>\u0001</a>'],
    ['lone surrogate', '<a>\ud800</a>'],
    ['U+FFFE', '<a>\ufffe</a>'],
    ['"]]>" in text', '<a>]]></a>'],
    ['"<" in attribute', '<a b="<"/>'],
    ['undefined entity', '<a>&nbsp;</a>'],
    ['bare ampersand', '<a>AT&T</a>'],
    ['reference to NUL', '<a>&#0;</a>'],
    ['mismatched tags', '<a></b>'],
    ['two roots', '<a/><b/>'],
    ['duplicate attribute', '<a b="1" b="2"/>'],
    ['unquoted attribute', '<a b=1/>'],
    ['missing space between attributes', '<a b="1"c="2"/>'],
    ['unterminated CDATA', '<a><![CDATA[x</a>'],
    ['CDATA naively holding "]]>"', '<a><![CDATA[x]]>y]]></a>'],
    ['"--" in comment', '<a><!-- x -- y --></a>'],
    ['bad name', '<1a/>'],
    ['unclosed root', '<a>'],
    ['late xml declaration', '<a/>\n<?xml version="1.0"?>'],
  ])('rejects %s', (_name, xml) => {
    expect(() => parseXml(xml)).toThrow(XmlError);
  });

  it('accepts and decodes what is legal', () => {
    const root = parseXml(
      '<?xml version="1.0" encoding="UTF-8"?>\n<!-- c --><a x="1&#10;2&amp;&quot;" y=\'&apos;\'>t&lt;<![CDATA[]]]]><![CDATA[>]]>\u{1f600}<b/></a>\n',
    );
    expect(root.attrs).toEqual({ x: '1\n2&"', y: "'" });
    expect(textOf(root)).toBe('t<]]>\u{1f600}');
  });
});
