import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';

// Finds references from the project's files to paths outside the repository: the design and fixture folder that
// sits beside the developers' checkout (the shared folder), and relative paths that climb above the repository root.
// A user's clone has neither, so a test reading one passes here and fails there.

export interface OutsideReference {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  readonly reason: string;
}

// src/shared is a module of ours; the folder beside the checkout is known by its subfolders.
const SHARED_FOLDER = /\bshared\/(fixtures|design|hooks)\b|'shared',\s*'(fixtures|design|hooks)'/;
// String literals that start like a relative path: '../x', "./x", `../${y}`.
const RELATIVE_LITERAL = /(['"`])(\.\.?\/[^'"`\n$]*)/g;
// join(…, '..', '..') climbs even when no literal does.
const PARENT_SEGMENTS = /'\.\.'(?:\s*,\s*'\.\.')*/g;

function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Every outside reference in `files` (repository-relative paths) of the repository at `root`. */
export function findOutsideReferences(root: string, files: readonly string[]): OutsideReference[] {
  const found: OutsideReference[] = [];
  for (const file of files) {
    const absolute = resolve(root, file);
    const lines = readFileSync(absolute, 'utf8').split('\n');
    lines.forEach((text, index) => {
      const at = { file, line: index + 1, text: text.trim() };
      if (SHARED_FOLDER.test(text)) found.push({ ...at, reason: 'refers to the shared folder beside the checkout' });
      for (const match of text.matchAll(RELATIVE_LITERAL)) {
        const literal = match[2] ?? '';
        if (!isInside(root, resolve(dirname(absolute), literal))) found.push({ ...at, reason: `${literal} leaves the repository` });
      }
      for (const match of text.matchAll(PARENT_SEGMENTS)) {
        const depth = (match[0].match(/'\.\.'/g) ?? []).length;
        // Counted from the file's own folder: the most a join starting there could climb and stay inside.
        const allowed = relative(root, dirname(absolute)).split(/[\\/]/).filter(Boolean).length;
        if (depth > allowed) found.push({ ...at, reason: `${depth} parent segments from a folder ${allowed} deep` });
      }
    });
  }
  return found;
}
