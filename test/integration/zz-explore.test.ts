import { it } from 'vitest';
import { createTestApp } from '../helpers/app.ts';
it('explore', async () => {
  const t = await createTestApp();
  console.log(JSON.stringify(t.app.printRoutes({ commonPrefix: false, includeMeta: ['access'] })));
  console.log(t.app.printRoutes({ commonPrefix: true }));
  await t.close();
});
