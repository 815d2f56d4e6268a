// GET /healthz: answers 200 only when the database answers.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { databaseAnswers } from '../db/queries/trust.ts';
import { rules } from '../domain/access.ts';

export default async function healthRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/healthz',
    { config: { access: rules.public }, logLevel: app.config.logLevel === 'silent' ? 'silent' : 'warn' },
    async (request, reply) => {
      try {
        databaseAnswers(app.db);
        return reply.header('Cache-Control', 'no-store').send({ status: 'ok' });
      } catch (err) {
        request.log.error({ err }, 'health check failed');
        return reply.code(503).send({ status: 'unavailable' });
      }
    },
  );
}
