// npm run create-admin -- --name "Jo Bloggs" --email jo@trust.org.uk [--trust "Trust name"]: makes a trust admin and prints their one-time invitation link.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/connection.ts';
import { issueToken } from '../src/db/queries/auth.ts';
import { findPersonByEmail, makeTrustAdmin } from '../src/db/queries/people.ts';
import { getTrustSettings, saveTrustSettings } from '../src/db/queries/trust.ts';
import { FormReader } from '../src/forms.ts';

function fail(message: string): never {
  console.error(`create-admin: ${message}`);
  process.exit(1);
}

const { values } = parseArgs({
  options: { name: { type: 'string' }, email: { type: 'string' }, trust: { type: 'string' } },
});
const form = new FormReader(values);
const name = form.text('name', { label: 'Name (--name)', required: true, max: 120 });
const email = form.email('email', 'Email (--email)');
if (!form.ok) fail(Object.values(form.errors).join('; '));

let config;
try {
  config = loadConfig();
} catch (err) {
  fail(err instanceof ConfigError ? err.message : String(err));
}
const database = openDatabase(config.databasePath);
const { db } = database;
if (!getTrustSettings(db)) {
  if (!values.trust) fail('this database has no trust yet: add --trust "Your trust name"');
  saveTrustSettings(db, null, { name: values.trust, timeZone: config.trustTimeZone });
}
const existing = findPersonByEmail(db, email);
const personId = makeTrustAdmin(db, { name, email });
const hasPassword = existing?.passwordHash != null;
const purpose = hasPassword ? 'password_reset' : 'invitation';
const ttl = hasPassword ? config.resetHours * 3600_000 : config.invitationDays * 86400_000;
const token = issueToken(db, null, personId, purpose, ttl);
database.close();
console.log(`${name} <${email}> is a trust admin of ${config.databasePath}.`);
console.log(
  `Open this link once to choose a password (it expires in ${hasPassword ? `${config.resetHours} hours` : `${config.invitationDays} days`}):`,
);
console.log(`${config.publicUrl}${hasPassword ? '/password-resets' : '/invitations'}/${token}`);
