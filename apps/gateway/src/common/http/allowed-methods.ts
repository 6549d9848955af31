import { Request } from 'express';
import { METHODS } from 'node:http';

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): unknown;
}

/**
 * The methods the app routes for a path (from Express's own route table), for a 405's Allow: a
 * path that exists answers a method it does not take with 405, not 404. HEAD comes with GET.
 */
export function allowedMethods(req: Request): string[] {
  const stack = (req.app as unknown as { router?: { stack?: RouteLayer[] } }).router?.stack ?? [];
  const methods = new Set<string>();
  for (const layer of stack) {
    if (!layer.route || !layer.match(req.path)) continue;
    const taken = Object.entries(layer.route.methods).filter(([m, on]) => on && m !== '_all').map(([m]) => m.toUpperCase());
    // a route on every method is a middleware mounted per route (Nest's), not an endpoint
    if (layer.route.methods._all || taken.length >= METHODS.length) continue;
    for (const method of taken) methods.add(method);
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}
