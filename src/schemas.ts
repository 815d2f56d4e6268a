// TypeBox shapes shared by the route modules, and the one pattern of an id in a path or a form: forms arrive as
// optional strings and are checked field by field by FormReader; path ids and weeks are checked by their schema.
import { Type, type TObject, type TOptional, type TString } from 'typebox';

/** A form body: each named field an optional string (checked later with a message per field), plus the CSRF token. */
export function formBody<const K extends string>(...fields: K[]): TObject<Record<K | '_csrf', TOptional<TString>>> {
  const properties = Object.fromEntries([...fields, '_csrf'].map((f) => [f, Type.Optional(Type.String())]));
  return Type.Object(properties) as unknown as TObject<Record<K | '_csrf', TOptional<TString>>>;
}

/** A row id as it appears in a URL or a form: 1 to 9,999,999,999, no sign, no leading zero. */
const ID_PATTERN = '^[1-9][0-9]{0,9}$';
const idShape = new RegExp(ID_PATTERN);

/** The id in a path parameter or a form field (surrounding spaces allowed), or null when it is not one. */
export function readId(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return idShape.test(text) ? Number(text) : null;
}

const id = () => Type.String({ pattern: ID_PATTERN });
/** Path parameters made of ids, by name: `idParams('teamId', 'assignmentId')`. */
export function idParams<const K extends string>(...names: K[]): TObject<Record<K, TString>> {
  return Type.Object(Object.fromEntries(names.map((n) => [n, id()]))) as unknown as TObject<Record<K, TString>>;
}
export const schoolParams = idParams('schoolId');
export const teamParams = idParams('teamId');
export const personParams = idParams('personId');
export const tokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$' }) });

/** `?week=` on a page that shows one week: a date (any day finds its week); a real date is checked by the route. */
export const weekQuery = Type.Object({
  week: Type.Optional(Type.String({ pattern: '^(19|2[0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$' })),
});
