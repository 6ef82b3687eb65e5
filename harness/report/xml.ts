// XML 1.0 writing helpers for junit.xml. Every string goes through sanitizeText first, so the output is
// well-formed whatever the evidence holds (tested with arbitrary unicode in test/unit/harness/report).
import { sanitizeText } from './text.js';

/**
 * Attribute value for a double-quoted attribute. Tab and LF are written as character references because an
 * XML parser normalises literal whitespace in attributes to spaces, which would flatten a multi-line message.
 */
export function xmlAttr(value: string): string {
  return sanitizeText(value).replace(/[&<>"\t\n]/g, (c) => ATTR_ESCAPES[c] ?? c);
}

const ATTR_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
};

/**
 * A CDATA section. `]]>` cannot appear inside one, so it is split across two sections (`]]` ends the first,
 * `>` starts the next) — readers concatenate adjacent sections and get the original text back.
 */
export function xmlCdata(value: string): string {
  return `<![CDATA[${sanitizeText(value).split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

/** `<name a="1" b="x">`-style attribute list, in the given order; undefined values are left out. */
export function xmlAttrs(attrs: ReadonlyArray<readonly [string, string | number | undefined]>): string {
  return attrs
    .filter((entry): entry is readonly [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${xmlAttr(String(value))}"`)
    .join('');
}
