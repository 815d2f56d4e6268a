// npm run backup [-- --to file]: an online, consistent copy of the database (SQLite's backup API; safe while the app runs).
import path from 'node:path';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { loadConfig, rootDir } from '../src/config.ts';

const { values } = parseArgs({ options: { to: { type: 'string' } } });
const config = loadConfig();
if (!fs.existsSync(config.databasePath)) {
  console.error(`backup: no database at ${config.databasePath}`);
  process.exit(1);
}
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..+/, '').replace('T', '-');
const target = path.resolve(
  values.to ?? path.join(rootDir, 'db', 'backups', `${path.basename(config.databasePath, '.sqlite')}-${stamp}.sqlite`),
);
fs.mkdirSync(path.dirname(target), { recursive: true });
const source = new Database(config.databasePath, { readonly: true, fileMustExist: true });
await source.backup(target);
source.close();
const check = new Database(target, { readonly: true });
const result = check.pragma('integrity_check', { simple: true });
check.close();
if (result !== 'ok') {
  console.error(`backup: integrity check of ${target} failed: ${String(result)}`);
  process.exit(1);
}
console.log(`Backed up ${config.databasePath} to ${target} (${fs.statSync(target).size} bytes, integrity ok).`);
