// 404 and 405 for paths no route handles: 405 (with Allow) when the path exists under another method.
import { MethodNotAllowedError, NotFoundError } from '../errors.ts';

/** Compiles a Hono route pattern (`/v1/cases/:id`) into an anchored regular expression. */
function patternToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('/')
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${body}/?$`);
}

/**
 * Returns the error for an unmatched request: 405 with the allowed methods when another method
 * serves this path, else 404.
 */
export function unmatched(
  app: { readonly routes: readonly { method: string; path: string }[] },
  method: string,
  pathname: string,
): NotFoundError | MethodNotAllowedError {
  const allowed = new Set<string>();
  for (const route of app.routes) {
    if (route.method === 'ALL' || route.path.endsWith('*')) continue; // middleware, not endpoints
    if (patternToRegExp(route.path).test(pathname)) allowed.add(route.method);
  }
  if (allowed.size > 0 && !allowed.has(method)) {
    if (allowed.has('GET')) allowed.add('HEAD');
    const allow = [...allowed].sort().join(', ');
    return new MethodNotAllowedError(`${method} is not allowed here; use ${allow}.`, { headers: { allow } });
  }
  return new NotFoundError('No such resource.');
}
