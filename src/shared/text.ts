/** Text helpers. */

/**
 * `text` cut to at most `max` UTF-16 code units, with nothing appended: for a bounded column or
 * message. Exactly `text.slice(0, max)`, so a cut may split a surrogate pair (an emoji).
 */
export function truncate(text: string, max: number): string {
  return text.slice(0, max);
}
