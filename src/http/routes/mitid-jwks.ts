import type { FastifyInstance } from 'fastify';

/** {IDP_BASE_URL}/mitid/jwks: the public key we sign private_key_jwt client assertions with, for the broker to fetch. */
export function registerMitidJwksRoute(app: FastifyInstance, jwks: () => { keys: readonly Record<string, string>[] }): void {
  app.get('/mitid/jwks', async (_request, reply) => {
    await reply.code(200).type('application/jwk-set+json').header('cache-control', 'public, max-age=300').send(JSON.stringify(jwks()));
  });
}
