/** Reference shapes shared by several resources. */

export interface Division {
  readonly id: string;
  readonly name: string;
}

/** The `{ id, name, selfUri }` division reference entities carry. */
export function divisionRef(division: Division): { id: string; name: string; selfUri: string } {
  return { ...division, selfUri: `/api/v2/authorization/divisions/${division.id}` };
}

/** Server-side timestamps: `dateCreated` kept from the stored entity, `dateModified` now. */
export function timestamps(existing: Readonly<Record<string, unknown>> | undefined): {
  dateCreated: unknown;
  dateModified: string;
} {
  const now = new Date().toISOString();
  return { dateCreated: existing?.dateCreated ?? now, dateModified: now };
}

/** A shallow copy of `value` without `keys`. */
export function without(
  value: Readonly<Record<string, unknown>>,
  ...keys: string[]
): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}
