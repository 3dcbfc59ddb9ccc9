import type { RegisteredSp } from '../saml/index.js';

/** The SP's name for users: its metadata display name in the user's language, else another language, else its file name. */
export function spDisplayName(sp: RegisteredSp, language = 'da'): string {
  const names = sp.displayNames;
  return names[language] ?? names['en'] ?? names['da'] ?? Object.values(names)[0] ?? sp.name;
}
