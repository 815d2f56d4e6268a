// TypeBox shapes shared by the route modules: forms arrive as optional strings and are checked field by field by FormReader.
import { Type, type TObject, type TOptional, type TString } from 'typebox';

/** A form body: each named field an optional string (checked later with a message per field), plus the CSRF token. */
export function formBody<const K extends string>(...fields: K[]): TObject<Record<K | '_csrf', TOptional<TString>>> {
  const properties = Object.fromEntries([...fields, '_csrf'].map((f) => [f, Type.Optional(Type.String())]));
  return Type.Object(properties) as unknown as TObject<Record<K | '_csrf', TOptional<TString>>>;
}

const id = () => Type.String({ pattern: '^[1-9][0-9]{0,9}$' });
export const schoolParams = Type.Object({ schoolId: id() });
export const teamParams = Type.Object({ teamId: id() });
export const personParams = Type.Object({ personId: id() });
export const teamMemberParams = Type.Object({ teamId: id(), assignmentId: id() });
export const personRoleParams = Type.Object({ personId: id(), assignmentId: id() });
export const tokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$' }) });
