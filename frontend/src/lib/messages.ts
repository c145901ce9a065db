/** Turn client errors into sentences for the cashier. */
import { ApiError, NetworkError } from './api';
import { t, type Lang } from './i18n';

/** A 404 with a problem body is "no such thing"; a bare 404 page means the API itself is missing. */
export const isNotFound = (e: unknown): boolean => e instanceof ApiError && e.status === 404 && e.code !== 'HTTP_404';

export function errorText(lang: Lang, e: unknown): string {
  if (e instanceof NetworkError) {
    if (e.code === 'TIMEOUT') return t(lang, 'error.timeout');
    return t(lang, e.code === 'BAD_RESPONSE' ? 'error.badResponse' : 'error.network');
  }
  if (e instanceof ApiError) {
    if (e.status === 401) return t(lang, 'error.unauthorized');
    if (e.status === 403) return t(lang, 'error.forbidden');
    // A status without our problem body came from a proxy or a static server, not from the API.
    return t(lang, e.code.startsWith('HTTP_') ? 'error.noApi' : 'error.server', { code: e.code });
  }
  return t(lang, 'error.server', { code: 'UNEXPECTED' });
}

/** Why looking up `code` failed. */
export function lookupErrorText(lang: Lang, code: string, e: unknown): string {
  if (isNotFound(e)) return t(lang, 'error.notFound', { code });
  return t(lang, 'error.lookup', { code, reason: errorText(lang, e) });
}
