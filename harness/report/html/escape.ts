// HTML/SVG text and attribute escaping. Inline SVG in an HTML document is parsed by the HTML parser, so one
// escaper serves both; sanitizeText keeps control characters visible instead of letting them vanish.
import { sanitizeText } from '../text.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(value: unknown): string {
  return sanitizeText(String(value)).replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** Numbers in SVG coordinates: short, and never NaN (which would make the element invisible). */
export function num(value: number): string {
  return Number.isFinite(value) ? String(Math.round(value * 10) / 10) : '0';
}
