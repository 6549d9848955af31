import { CamServiceDocument } from './service-document';

/** The keys of a service document that declare its version changes, and what they mean. */
export const VERSION_CHANGE_KEYS = {
  upgrade_from: 'the versions whose instances may upgrade to this one',
  downgrade_to: 'the versions this one\'s instances may downgrade to',
} as const;

/**
 * What is wrong with how a document declares its version changes (`upgrade_from`, `downgrade_to`
 * next to `version`, each a list of `{ "version": "<label>" }`): advice, since a change that is
 * not declared is simply not offered.
 */
export function versionDeclarationProblems(doc: CamServiceDocument): string[] {
  const problems: string[] = [];
  for (const [key, meaning] of Object.entries(VERSION_CHANGE_KEYS)) {
    if (doc.catalog_metadata && Object.hasOwn(doc.catalog_metadata, key)) {
      problems.push(`catalog_metadata.${key} is not read: ${key} (${meaning}) goes next to "version", at service.${key}`);
    }
    const value = (doc as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (!Array.isArray(value)) {
      problems.push(`${key} must be a list of {"version": "<label>"} (${meaning}); got ${JSON.stringify(value).slice(0, 80)}`);
      continue;
    }
    value.forEach((entry, i) => {
      const label = typeof entry === 'string' ? entry : (entry as { version?: unknown } | null)?.version;
      if (typeof label !== 'string') problems.push(`${key}[${i}] must be {"version": "<label>"}; got ${JSON.stringify(entry).slice(0, 80)}`);
      else if (label === doc.version) problems.push(`${key}[${i}] names this version itself (${label})`);
    });
  }
  return problems;
}
