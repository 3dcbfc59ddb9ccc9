// A strict reader for the client parameter JSON: one object whose values are all JSON strings. JSON.parse would
// silently keep the last of two equal names, so the top level is tokenised here (values still go through
// JSON.parse for escapes); duplicates must be detectable exactly as NemID's own parser saw them.

export type FlatJsonResult =
  | { ok: true; entries: [string, string][] }
  | { ok: false; reason: 'not-json' | 'not-object' | 'non-string-value' };

const WHITESPACE = /[ \t\r\n]*/y;
const STRING_TOKEN = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

export function readFlatStringObject(text: string): FlatJsonResult {
  try {
    JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not-json' };
  }
  let position = 0;
  const skip = () => {
    WHITESPACE.lastIndex = position;
    WHITESPACE.exec(text);
    position = WHITESPACE.lastIndex;
  };
  const readString = (): string | null => {
    STRING_TOKEN.lastIndex = position;
    const match = STRING_TOKEN.exec(text);
    if (!match) return null;
    position = STRING_TOKEN.lastIndex;
    return JSON.parse(match[0]) as string;
  };
  skip();
  if (text[position] !== '{') return { ok: false, reason: 'not-object' };
  position += 1;
  const entries: [string, string][] = [];
  skip();
  if (text[position] === '}') {
    position += 1;
  } else {
    for (;;) {
      skip();
      const name = readString();
      if (name === null) return { ok: false, reason: 'not-json' };
      skip();
      if (text[position] !== ':') return { ok: false, reason: 'not-json' };
      position += 1;
      skip();
      const value = readString();
      // The text is valid JSON (checked above), so a value that is not a string token is a number, object, ….
      if (value === null) return { ok: false, reason: 'non-string-value' };
      entries.push([name, value]);
      skip();
      if (text[position] === ',') {
        position += 1;
        continue;
      }
      if (text[position] === '}') {
        position += 1;
        break;
      }
      return { ok: false, reason: 'not-json' };
    }
  }
  skip();
  return position === text.length ? { ok: true, entries } : { ok: false, reason: 'not-json' };
}
