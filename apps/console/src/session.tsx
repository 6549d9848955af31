import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Role = 'viewer' | 'operator' | 'catalog-admin' | 'admin';

/** The caller, as GET /cam/api/v1/session answers: the console offers only what it may do. */
export interface Session {
  tenantId: string;
  subject: string;
  via: 'api-token' | 'jwt';
  roles: Role[];
  may: Record<Role, boolean>;
}

export const SessionContext = createContext<{ session: Session; logout: () => void } | null>(null);

export function useSession() {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a session');
  return value;
}
