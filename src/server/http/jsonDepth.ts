/** Deepest nesting a request body may have: the API's own bodies are a few levels deep. */
export const MAX_JSON_DEPTH = 32;

/**
 * The nesting depth of a JSON text, counted on the raw text before it is parsed, so a hostile body of
 * a million `[` never reaches a recursive walker (the parser, zod, the planner). Brackets inside
 * strings do not count. Malformed text is left for the parser to refuse.
 */
export function jsonDepthExceeds(text: string, max = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > max) return true;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth--;
    }
  }
  return false;
}
