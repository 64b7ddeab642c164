/** How many characters of a piece of user input an error message shows at most. */
export const QUOTE_MAX_CHARS = 100;

/** The first `max` characters of a text (never half of one), and whether there was more. */
function head(text: string, max: number): { shown: string; cut: boolean } {
  if (text.length <= max) return { shown: text, cut: false };
  const chars = Array.from(text);
  return chars.length <= max
    ? { shown: text, cut: false }
    : { shown: chars.slice(0, max).join(''), cut: true };
}

/**
 * The start of a text for an error message: at most `max` characters, then `…`
 * when there was more.
 */
export function clip(text: string, max = QUOTE_MAX_CHARS): string {
  const { shown, cut } = head(text, max);
  return cut ? `${shown}…` : shown;
}

/**
 * A piece of user input quoted in an error message: a string as JSON (so that
 * control characters show escaped), anything else as its JSON; at most `max`
 * characters of it, then `…` when there was more.
 */
export function quote(value: unknown, max = QUOTE_MAX_CHARS): string {
  if (typeof value !== 'string') {
    let json: string | undefined;
    try {
      json = JSON.stringify(value);
    } catch {
      json = undefined;
    }
    return clip(json ?? String(value), max);
  }
  const { shown, cut } = head(value, max);
  return cut ? `${JSON.stringify(shown)}…` : JSON.stringify(shown);
}
