// Text hygiene shared by the XML and HTML writers. Evidence comes from processes we do not control (an external
// daemon's command line, a corrupt state file quoted in a violation), so any string may hold characters XML 1.0
// forbids. We keep them visible as `\uXXXX` rather than dropping them: a report that silently loses the odd byte
// in the evidence is worse than one that shows it.

/** XML 1.0 `Char` minus nothing: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
export function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

function visibleEscape(cp: number): string {
  return '\\u' + cp.toString(16).padStart(4, '0');
}

/**
 * Replaces every code point XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF) with a
 * visible `\uXXXX`, and folds CR and CRLF to LF: an XML parser does that fold anyway, so doing it here keeps a
 * round trip exact. DEL and C1 controls are legal XML 1.0 and kept as they are.
 */
export function sanitizeText(input: string): string {
  let out = '';
  let clean = 0; // start of the pending run of characters that need no change
  for (let i = 0; i < input.length; i++) {
    const unit = input.charCodeAt(i);
    let cp = unit;
    let width = 1;
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < input.length) {
      const next = input.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        cp = (unit - 0xd800) * 0x400 + (next - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    let replacement: string | null = null;
    if (cp === 0xd) replacement = input.charCodeAt(i + 1) === 0xa ? '' : '\n';
    else if (!isXmlChar(cp)) replacement = visibleEscape(cp);
    if (replacement !== null) {
      out += input.slice(clean, i) + replacement;
      clean = i + width;
    }
    i += width - 1;
  }
  return clean === 0 ? input : out + input.slice(clean);
}

/** Shortens long text for display, saying how much was cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

/** JSON for people: pretty, bigint-safe, never throws (cycles become "[circular]"). */
export function prettyJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(
        value,
        (_key, value: unknown) => {
          if (typeof value === 'bigint') return value.toString();
          if (typeof value === 'object' && value !== null) {
            if (seen.has(value)) return '[circular]';
            seen.add(value);
          }
          return value;
        },
        2,
      ) ?? String(value)
    );
  } catch {
    return String(value);
  }
}
