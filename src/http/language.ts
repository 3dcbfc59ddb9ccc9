import type { FastifyRequest } from 'fastify';
import type { Language } from './views/layout.js';

/** The page language: an explicit `lang` query, then the `lang` cookie, then Accept-Language; Danish by default. */
export function requestLanguage(request: FastifyRequest): Language {
  const query = (request.query as Record<string, unknown> | undefined)?.['lang'];
  if (query === 'da' || query === 'en') return query;
  const cookie = request.cookies?.['lang'];
  if (cookie === 'da' || cookie === 'en') return cookie;
  const accept = request.headers['accept-language'] ?? '';
  for (const part of accept.split(',')) {
    const tag = part.trim().split(';')[0]?.toLowerCase() ?? '';
    if (tag.startsWith('da')) return 'da';
    if (tag.startsWith('en')) return 'en';
  }
  return 'da';
}
