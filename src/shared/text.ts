/** Text helpers. */

/**
 * `text` cut to at most `max` UTF-16 code units, with nothing appended: for a bounded column or
 * message. Exactly `text.slice(0, max)`, so a cut may split a surrogate pair (an emoji).
 */
export function truncate(text: string, max: number): string {
  return text.slice(0, max);
}

/** `truncate` for an optional text: null and undefined stay as they are. */
export function truncateOrNull<T extends string | null | undefined>(text: T, max: number): T {
  return (text == null ? text : text.slice(0, max)) as T;
}
