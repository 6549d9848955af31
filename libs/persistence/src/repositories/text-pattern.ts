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
 * serves both). Prisma passes contains/startsWith/endsWith to LIKE unescaped, so a % or _ of the
 * text would match anything: they are escaped here (backslash, PostgreSQL's LIKE escape).
 */
export function textPatternFilter(p: TextPattern): { equals?: string; contains?: string; startsWith?: string; endsWith?: string; mode?: 'insensitive' } {
  const text = p.match === 'equals' ? p.text : p.text.replace(/[\\%_]/g, '\\$&');
  return { [p.match]: text, ...(p.caseInsensitive ? { mode: 'insensitive' as const } : {}) };
}
