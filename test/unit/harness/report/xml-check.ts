// A small strict XML 1.0 well-formedness checker for the tests (no DTDs: junit.xml never has one). It rejects
// what real parsers reject — illegal characters (incl. lone surrogates), bad names, unescaped `<`/`&`, `]]>` in
// text, undefined entities, duplicate attributes, mismatched tags, content after the root — and returns a tree
// with references decoded, so tests can compare what a CI reader would see with what went in.
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | { text: string };

export class XmlError extends Error {}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

function isChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}
function isNameStart(cp: number): boolean {
  return (
    cp === 0x3a ||
    (cp >= 0x41 && cp <= 0x5a) ||
    cp === 0x5f ||
    (cp >= 0x61 && cp <= 0x7a) ||
    (cp >= 0xc0 && cp <= 0xd6) ||
    (cp >= 0xd8 && cp <= 0xf6) ||
    (cp >= 0xf8 && cp <= 0x2ff) ||
    (cp >= 0x370 && cp <= 0x37d) ||
    (cp >= 0x37f && cp <= 0x1fff) ||
    (cp >= 0x200c && cp <= 0x200d) ||
    (cp >= 0x2070 && cp <= 0x218f) ||
    (cp >= 0x2c00 && cp <= 0x2fef) ||
    (cp >= 0x3001 && cp <= 0xd7ff) ||
    (cp >= 0xf900 && cp <= 0xfdcf) ||
    (cp >= 0xfdf0 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0xeffff)
  );
}
function isNameChar(cp: number): boolean {
  return (
    isNameStart(cp) ||
    cp === 0x2d ||
    cp === 0x2e ||
    (cp >= 0x30 && cp <= 0x39) ||
    cp === 0xb7 ||
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x203f && cp <= 0x2040)
  );
}

export function parseXml(input: string): XmlElement {
  // every code point must be a legal Char; a lone surrogate is not one
  for (let i = 0; i < input.length; i++) {
    const cp = input.codePointAt(i)!;
    if (cp >= 0xd800 && cp <= 0xdfff) throw new XmlError(`lone surrogate at ${i}`);
    if (!isChar(cp)) throw new XmlError(`illegal character U+${cp.toString(16)} at ${i}`);
    if (cp > 0xffff) i++;
  }
  const src = input.replace(/\r\n?/g, '\n');
  let pos = 0;
  const fail = (msg: string): never => {
    throw new XmlError(`${msg} at ${pos}: ${JSON.stringify(src.slice(pos, pos + 30))}`);
  };
  const ws = (): void => {
    while (pos < src.length && ' \t\n'.includes(src[pos]!)) pos++;
  };
  const name = (): string => {
    const start = pos;
    const first = src.codePointAt(pos);
    if (first === undefined || !isNameStart(first)) fail('expected a name');
    pos += first! > 0xffff ? 2 : 1;
    for (;;) {
      const cp = src.codePointAt(pos);
      if (cp === undefined || !isNameChar(cp)) break;
      pos += cp > 0xffff ? 2 : 1;
    }
    return src.slice(start, pos);
  };
  const reference = (): string => {
    const end = src.indexOf(';', pos);
    if (end < 0) fail('unterminated reference');
    const body = src.slice(pos + 1, end);
    let value: string;
    if (/^#[0-9]+$/.test(body) || /^#x[0-9a-fA-F]+$/.test(body)) {
      const cp = body[1] === 'x' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!isChar(cp) || (cp >= 0xd800 && cp <= 0xdfff)) fail(`reference to illegal character ${body}`);
      value = String.fromCodePoint(cp);
    } else if (body in ENTITIES) value = ENTITIES[body]!;
    else return fail(`undefined entity &${body};`);
    pos = end + 1;
    return value;
  };
  const comment = (): void => {
    const end = src.indexOf('-->', pos + 4);
    if (end < 0) fail('unterminated comment');
    if (src.slice(pos + 4, end).includes('--') || src[end - 1] === '-') fail('"--" inside a comment');
    pos = end + 3;
  };
  const pi = (): void => {
    pos += 2;
    const target = name();
    if (target.toLowerCase() === 'xml') fail('xml declaration not at the start');
    const end = src.indexOf('?>', pos);
    if (end < 0) fail('unterminated processing instruction');
    pos = end + 2;
  };
  const misc = (): void => {
    for (;;) {
      ws();
      if (src.startsWith('<!--', pos)) comment();
      else if (src.startsWith('<?', pos)) pi();
      else return;
    }
  };
  const element = (): XmlElement => {
    if (src[pos] !== '<') fail('expected "<"');
    pos++;
    const el: XmlElement = { name: name(), attrs: {}, children: [] };
    for (;;) {
      const hadSpace = pos < src.length && ' \t\n'.includes(src[pos]!);
      ws();
      if (src.startsWith('/>', pos)) {
        pos += 2;
        return el;
      }
      if (src[pos] === '>') {
        pos++;
        break;
      }
      if (!hadSpace) fail('expected whitespace before an attribute');
      const attr = name();
      ws();
      if (src[pos] !== '=') fail('expected "="');
      pos++;
      ws();
      const quote = src[pos];
      if (quote !== '"' && quote !== "'") fail('expected a quoted value');
      pos++;
      let value = '';
      for (;;) {
        const c = src[pos];
        if (c === undefined) fail('unterminated attribute value');
        if (c === quote) break;
        if (c === '<') fail('"<" in an attribute value');
        if (c === '&') value += reference();
        else {
          value += c === '\t' || c === '\n' ? ' ' : c; // attribute-value normalisation
          pos++;
        }
      }
      pos++;
      if (attr in el.attrs) fail(`duplicate attribute ${attr}`);
      el.attrs[attr] = value;
    }
    let text = '';
    const flush = (): void => {
      if (text) el.children.push({ text });
      text = '';
    };
    for (;;) {
      if (pos >= src.length) fail(`unclosed element <${el.name}>`);
      if (src.startsWith('</', pos)) {
        pos += 2;
        const closing = name();
        if (closing !== el.name) fail(`</${closing}> closes <${el.name}>`);
        ws();
        if (src[pos] !== '>') fail('expected ">"');
        pos++;
        flush();
        return el;
      }
      if (src.startsWith('<![CDATA[', pos)) {
        const end = src.indexOf(']]>', pos + 9);
        if (end < 0) fail('unterminated CDATA');
        text += src.slice(pos + 9, end);
        pos = end + 3;
      } else if (src.startsWith('<!--', pos)) comment();
      else if (src.startsWith('<?', pos)) pi();
      else if (src[pos] === '<') {
        flush();
        el.children.push(element());
      } else if (src[pos] === '&') text += reference();
      else {
        if (src.startsWith(']]>', pos)) fail('"]]>" in character data');
        text += src[pos];
        pos++;
      }
    }
  };

  if (src.startsWith('<?xml', pos)) {
    const end = src.indexOf('?>', pos);
    if (end < 0) fail('unterminated xml declaration');
    if (
      !/^<\?xml\s+version\s*=\s*["']1\.[0-9]+["'](\s+encoding\s*=\s*["'][A-Za-z][A-Za-z0-9._-]*["'])?(\s+standalone\s*=\s*["'](yes|no)["'])?\s*$/.test(
        src.slice(pos, end),
      )
    ) {
      fail('malformed xml declaration');
    }
    pos = end + 2;
  }
  misc();
  if (src.startsWith('<!DOCTYPE', pos)) fail('DOCTYPE not supported by this checker');
  const root = element();
  misc();
  if (pos !== src.length) fail('content after the root element');
  return root;
}

export function elements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => 'name' in c && (name === undefined || c.name === name));
}

export function textOf(el: XmlElement): string {
  return el.children.map((c) => ('text' in c ? c.text : textOf(c))).join('');
}
