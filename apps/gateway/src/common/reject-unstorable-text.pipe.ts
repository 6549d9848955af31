import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { DomainException } from '@cam-esc/errors';

const MAX_DEPTH = 64;
// a UTF-16 surrogate without its other half: JSON can carry it, PostgreSQL cannot store it
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Refuses input PostgreSQL could not store (the NUL character, lone UTF-16 surrogates) and input
 * nested deeper than any CAM document, up front and naming where it is, instead of failing deep
 * in a write.
 */
@Injectable()
export class RejectUnstorableTextPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const problem = findProblem(value, metadata.type === 'body' ? 'body' : (metadata.data ?? metadata.type));
    if (problem) throw DomainException.invalid(problem);
    return value;
  }
}

/** Where `root` holds what PostgreSQL cannot store, or nests too deep: `path: why`; undefined when it is fine. */
export function findProblem(root: unknown, rootPath: string): string | undefined {
  // iterative: a hostile body nested 100,000 deep must not exhaust the stack
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: root, path: rootPath, depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return `${path}: ${problem}`;
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_DEPTH) return `${path}: nested more than ${MAX_DEPTH} levels deep`;
    const entries: Array<[string, unknown]> = Array.isArray(value) ? value.map((v, i) => [`[${i}]`, v]) : Object.entries(value).map(([k, v]) => [`.${k}`, v]);
    for (const [key, child] of entries) {
      const keyProblem = textProblem(key);
      if (keyProblem) return `${path}: a key ${keyProblem}`;
      stack.push({ value: child, path: `${path}${key}`, depth: depth + 1 });
    }
  }
  return undefined;
}

function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone UTF-16 surrogate (invalid Unicode)';
  return undefined;
}
