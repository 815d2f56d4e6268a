// drizzle-kit settings, kept in db/ so the top level stays as fixed: `npm run db:generate` writes a new migration.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './db/migrations',
});
