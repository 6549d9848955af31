/**
 * What the profile shows where a figure stays short of its goal: printed in the report beside
 * the figure, so a reader of bench/REPORT.md need not guess. Keep in step with the README's
 * Performance section.
 */
export const SHORTFALLS: Array<{ matches: (path: string) => boolean; why: string }> = [];
