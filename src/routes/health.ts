// GET /healthz: answers 200 only when the database answers.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { rules } from '../domain/access.ts';

export default async function healthRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/healthz', { config: { access: rules.public }, logLevel: app.config.logLevel === 'silent' ? 'silent' : 'warn' }, async (request, reply) => {
    try {
      app.db.get(sql`select 1`);
      return reply.header('Cache-Control', 'no-store').send({ status: 'ok' });
    } catch (err) {
      request.log.error({ err }, 'health check failed');
      return reply.code(503).send({ status: 'unavailable' });
    }
  });
}
