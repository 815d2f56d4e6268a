// The layer check (npm run check:layers) on a small tree of its own: a route importing a route, the domain importing
// the schema (even for a type) and anything but app.ts importing a route all fail it; the allowed arrows pass.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { rootDir } from '../../src/config.ts';
import { tempDir } from '../helpers/app.ts';

const run = promisify(execFile);
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** A tree with these files (path → source), checked with the project's own rules exactly as npm run check:layers does. */
async function checkLayers(files: Record<string, string>): Promise<{ failed: boolean; output: string }> {
  const dir = tempDir('wigboard-layers-');
  dirs.push(dir);
  const all = {
    'tsconfig.json': '{ "compilerOptions": { "allowImportingTsExtensions": true, "noEmit": true } }',
    ...files,
  };
  for (const [file, source] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), source);
  }
  const cli = path.join(rootDir, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  const args = [cli, '--config', path.join(rootDir, 'test', 'checks', 'layers.cjs'), 'src'];
  try {
    const { stdout } = await run(process.execPath, args, { cwd: dir, timeout: 30_000 });
    return { failed: false, output: stdout };
  } catch (err) {
    const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
    return { failed: true, output: `${stdout}${stderr}` };
  }
}

describe('npm run check:layers', () => {
  it('fails when a route module imports another route module, and names the rule and the import', async () => {
    const { failed, output } = await checkLayers({
      'src/routes/home.ts': "import { myWeek } from './week.ts';\nexport default myWeek;\n",
      'src/routes/week.ts': 'export const myWeek = 1;\n',
    });
    expect(failed).toBe(true);
    expect(output).toContain('route-imports-route: src/routes/home.ts → src/routes/week.ts');
  }, 60_000);

  it('fails when the domain imports the schema, even for a type only', async () => {
    const { failed, output } = await checkLayers({
      'src/domain/access.ts': "import type { RoleKind } from '../db/schema.ts';\nexport const role: RoleKind = 'a';\n",
      'src/db/schema.ts': "export type RoleKind = 'a';\n",
    });
    expect(failed).toBe(true);
    expect(output).toContain('domain-is-pure: src/domain/access.ts → src/db/schema.ts');
  }, 60_000);

  it('fails when a job or a read model imports a route module', async () => {
    const { failed, output } = await checkLayers({
      'src/reminders/messages.ts':
        "import { trustOverview } from '../routes/overview.ts';\nexport default trustOverview;\n",
      'src/routes/overview.ts': 'export const trustOverview = 1;\n',
    });
    expect(failed).toBe(true);
    expect(output).toContain('outside-imports-routes: src/reminders/messages.ts → src/routes/overview.ts');
  }, 60_000);

  it('passes the arrows that point down: app → routes → read models → queries → domain', async () => {
    const { failed, output } = await checkLayers({
      'src/app.ts': "import week from './routes/week.ts';\nexport default week;\n",
      'src/routes/week.ts': "import { weekGrid } from '../read-models/week-grid.ts';\nexport default weekGrid;\n",
      'src/read-models/week-grid.ts':
        "import { entries } from '../db/queries/measures.ts';\nexport const weekGrid = entries;\n",
      'src/db/queries/measures.ts':
        "import { weekStart } from '../../domain/calendar.ts';\nexport const entries = weekStart;\n",
      'src/domain/calendar.ts': 'export const weekStart = 1;\n',
    });
    expect(output).toContain('no dependency violations found');
    expect(failed).toBe(false);
  }, 60_000);
});
