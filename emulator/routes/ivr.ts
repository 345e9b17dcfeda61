/**
 * Architect IVRs (`/api/v2/architect/ivrs`), as `genesyscloud_architect_ivr` (provider 1.82.0,
 * genesyscloud/architect_ivr/) calls them through the SDK's ArchitectApi:
 * - `POST` (`PostArchitectIvrs`; the provider sleeps 3 s first when the IVR has numbers, sends at most 50 of them,
 *   and retries a 400), answering the IVR with its `id`, `version` and `state: "active"`;
 * - `GET /{id}` (`GetArchitectIvr`; read after every write, and after a delete until it answers 404 or
 *   `state: "deleted"`), `GET` (paged, `name` filter: `GetArchitectIvrs`, export and the data source);
 * - `PUT /{id}` (`PutArchitectIvr`; the provider reads the IVR first and sends its `version`: a stale one is 409,
 *   which it retries; numbers past the first 50 come in further PUTs, 2 s apart);
 * - `DELETE /{id}` (`DeleteArchitectIvr`, 204).
 *
 * Checked as the emulator's model, each with its strength: a name is required and unique (the collection's rule);
 * every `dnis` entry is E.164 (the provider checks the same with libphonenumber before it sends anything); a
 * number belongs to at most one IVR, and an IVR's flows must be existing inbound call flows (the emulator's own
 * checks: no source states Genesys's messages). Not modelled: that a number must be in one of the org's DID pools
 * (the real API's "Field 'didPoolId' is required", which the provider's 3 s sleep waits out) — telephony is not
 * emulated, so any E.164 number is accepted; and schedule groups (`scheduleGroup` is kept as given, unchecked).
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { GenesysError } from "../errors";
import type { CollectionSpec, EmulatorStore, EntityFields, StoredEntity } from "../store";
import { registerCollectionRoutes } from "./collection";
import { FLOWS } from "./flows";
import { divisionRef, timestamps, type Division } from "./refs";

export const IVRS: CollectionSpec = {
  name: "ivrs",
  basePath: "/api/v2/architect/ivrs",
  entityLabel: "IVR",
};

/** E.164: `+`, a country code not starting with 0, at most 15 digits. */
const E164 = /^\+[1-9]\d{1,14}$/;

const ref = z.looseObject({ id: z.string().min(1) }).nullish();

const ivrBody = z.looseObject({
  name: z.string().trim().min(1, "name is required").max(255),
  description: z.string().max(1024).nullish(),
  dnis: z
    .array(z.string().regex(E164, "every dnis entry must be an E.164 phone number, e.g. +13175550100"))
    .nullish(),
  openHoursFlow: ref,
  closedHoursFlow: ref,
  holidayHoursFlow: ref,
  scheduleGroup: ref,
  division: ref,
  version: z.number().int().optional(),
});

const FLOW_FIELDS = ["openHoursFlow", "closedHoursFlow", "holidayHoursFlow"] as const;

export function registerIvrRoutes(app: FastifyInstance, store: EmulatorStore, homeDivision: Division): void {
  const ivrs = store.collection(IVRS);
  const flows = store.collection(FLOWS);

  /** An inbound call flow's `{ id, name, selfUri }`, or a 400 naming the field. */
  const flowRef = (field: string, value: unknown) => {
    const id = (value as { id?: string } | null | undefined)?.id;
    if (id === undefined) return undefined;
    const flow = flows.has(id) ? flows.get(id) : undefined;
    if (!flow || String(flow.type).toUpperCase() !== "INBOUNDCALL") {
      throw new GenesysError(400, "{field} must be an inbound call flow; {id} is not one.", { field, id });
    }
    return { id, name: flow.name, selfUri: `${FLOWS.basePath}/${id}` };
  };

  /** Every number of `dnis` that another IVR already has. */
  const taken = (dnis: readonly string[], self: string | undefined) =>
    dnis.filter((number) =>
      ivrs.find((ivr) => ivr.id !== self && ((ivr.dnis as string[] | undefined) ?? []).includes(number)),
    );

  registerCollectionRoutes(app, ivrs, {
    bodySchema: ivrBody as unknown as z.ZodType<EntityFields>,
    complete: (fields, existing) => {
      const dnis = (fields.dnis as string[] | null | undefined) ?? [];
      const duplicates = taken(dnis, existing?.id);
      if (duplicates.length > 0) {
        throw new GenesysError(400, "The number(s) {numbers} are already assigned to another IVR.", {
          numbers: duplicates.join(", "),
        });
      }
      const flowRefs = Object.fromEntries(FLOW_FIELDS.map((field) => [field, flowRef(field, fields[field])]));
      return {
        ...fields,
        dnis,
        ...flowRefs,
        division: (fields.division as { id?: string } | null | undefined)?.id
          ? fields.division
          : divisionRef(homeDivision),
        state: "active",
        ...timestamps(existing),
      };
    },
    present: (ivr: StoredEntity) => ivr,
  });
}
