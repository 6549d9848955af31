/** The methods that change something (what Idempotency-Key, the audit and the role default are about). */
export const MUTATING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
