// Shared fast-check arbitraries for the reporter tests.
import fc from 'fast-check';

/** Strings that break naive XML writers, mixed with arbitrary unicode and raw UTF-16 units (lone surrogates). */
export const hostileString = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '\u0000',
        '\u0001',
        '\u0008',
        '\u000b',
        '\u000c',
        '\u001b',
        '\u007f',
        '\u0085',
        '\ufffe',
        '\uffff',
        '\ud800',
        '\udfff',
        '\ud83d\ude00',
        ']]>',
        ']]',
        '>',
        '<![CDATA[',
        '"',
        "'",
        '<',
        '&',
        '&amp;',
        '&#0;',
        '\r\n',
        '\r',
        '\n',
        '\t',
        '--',
        '<!--',
        '</testsuite>',
        '<script>alert(1)</script>',
        'src=http://x',
        ' ',
      ),
      fc.string({ unit: 'binary' }),
      fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));
