// Single-use links: accepting an invitation and resetting a password both end in choosing a password.
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { hashPassword, PASSWORD_MIN_LENGTH } from '../auth/password.ts';
import { findUsableToken, redeemToken } from '../db/queries/auth.ts';
import type { TokenPurpose } from '../db/schema.ts';
import { rules } from '../domain/access.ts';
import { FormReader } from '../forms.ts';
import { formBody, tokenParams } from '../schemas.ts';

const PAGES: Record<TokenPurpose, { path: string; title: string; intro: string; button: string }> = {
  invitation: {
    path: '/invitations',
    title: 'Accept your invitation',
    intro: 'Choose a password to finish setting up your account.',
    button: 'Create my account',
  },
  password_reset: {
    path: '/password-resets',
    title: 'Choose a new password',
    intro: 'Choose a new password. Every device signed in to your account will be signed out.',
    button: 'Save new password',
  },
};

export default async function tokenRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  for (const [purpose, page] of Object.entries(PAGES) as [TokenPurpose, (typeof PAGES)[TokenPurpose]][]) {
    const render = (reply: FastifyReply, status: number, data: Record<string, unknown>) =>
      reply.render({ page: 'pages/set-password', status, title: page.title, data: { page, errors: {}, ...data } });
    const expired = (reply: FastifyReply) =>
      reply.render({ page: 'pages/link-expired', status: 404, title: 'This link cannot be used', data: {} });

    app.get(
      `${page.path}/:token`,
      { config: { access: rules.public }, schema: { params: tokenParams } },
      async (request, reply) => {
        const found = findUsableToken(app.db, request.params.token, purpose);
        if (!found) return expired(reply);
        return render(reply, 200, {
          action: `${page.path}/${request.params.token}`,
          name: found.name,
          email: found.email,
        });
      },
    );

    app.post(
      `${page.path}/:token`,
      {
        config: { access: rules.public, rateLimit: { max: 20, timeWindow: 60_000 } },
        schema: { params: tokenParams, body: formBody('password', 'confirm') },
      },
      async (request, reply) => {
        const found = findUsableToken(app.db, request.params.token, purpose);
        if (!found) return expired(reply);
        const form = new FormReader(request.body);
        const password = form.text('password', {
          label: 'Password',
          required: true,
          min: PASSWORD_MIN_LENGTH,
          max: 200,
        });
        const confirm = form.raw('confirm').trim();
        if (form.ok && confirm !== password) form.fail('confirm', 'The two passwords do not match');
        if (!form.ok)
          return render(reply, 422, {
            action: `${page.path}/${request.params.token}`,
            name: found.name,
            email: found.email,
            errors: form.errors,
          });
        const passwordHash = await hashPassword(password, app.config.scrypt);
        if (!redeemToken(app.db, found.tokenId, found.personId, passwordHash)) return expired(reply);
        await request.signIn(found.personId, purpose);
        request.session.flash = {
          kind: 'success',
          message:
            purpose === 'invitation' ? `Welcome, ${found.name}. Your account is ready.` : 'Your new password is saved.',
        };
        return reply.redirectTo('/');
      },
    );
  }
}
