/**
 * A LoopBack `like`/`ilike` pattern as the repositories take it: its `%` only at its ends, so
 * that Prisma's contains/startsWith/endsWith say it exactly.
 */
export interface TextPattern {
  match: 'equals' | 'contains' | 'startsWith' | 'endsWith';
  text: string;
  caseInsensitive: boolean;
}

/**
 * The Prisma string filter of a pattern (LIKE, or ILIKE with mode insensitive: a trigram index
 * serves both). Prisma passes contains/startsWith/endsWith (and equals with mode insensitive) to
 * LIKE/ILIKE unescaped, so a % or _ of the text would match anything: they are escaped here
 * (backslash, PostgreSQL's LIKE escape).
 */
export function textPatternFilter(p: TextPattern): { equals?: string; contains?: string; startsWith?: string; endsWith?: string; mode?: 'insensitive' } {
  // equals with mode insensitive is an ILIKE too: only a case-sensitive equals is a plain =
  const text = p.match === 'equals' && !p.caseInsensitive ? p.text : p.text.replace(/[\\%_]/g, '\\$&');
  return { [p.match]: text, ...(p.caseInsensitive ? { mode: 'insensitive' as const } : {}) };
}
