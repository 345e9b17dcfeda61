/**
 * Org-wide routing utilization (`/api/v2/routing/utilization`), the singleton behind
 * `genesyscloud_routing_utilization`: `GET`, `PUT` (`maximumCapacity` 0..25 per media type and label) and
 * `DELETE`, which resets the org to the defaults.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { EmulatorStore } from "../store";
import { parseRequest } from "../validation";

const MEDIA_TYPES = ["call", "callback", "chat", "email", "message"] as const;
const ORG_KEY = "org";

interface Utilization {
  readonly utilization: Record<string, MediaUtilization>;
  readonly labelUtilizations: Record<string, { maximumCapacity: number; interruptingLabelIds: string[] }>;
}

interface MediaUtilization {
  readonly maximumCapacity: number;
  readonly interruptableMediaTypes: string[];
  readonly includeNonAcd: boolean;
}

/** Genesys's defaults, which `DELETE` restores. */
const DEFAULTS: Utilization = {
  utilization: {
    call: { maximumCapacity: 1, interruptableMediaTypes: [], includeNonAcd: false },
    callback: { maximumCapacity: 1, interruptableMediaTypes: [], includeNonAcd: false },
    chat: { maximumCapacity: 4, interruptableMediaTypes: [], includeNonAcd: false },
    email: { maximumCapacity: 1, interruptableMediaTypes: [], includeNonAcd: false },
    message: { maximumCapacity: 4, interruptableMediaTypes: [], includeNonAcd: false },
  },
  labelUtilizations: {},
};

const capacity = z
  .number()
  .int()
  .min(0, "maximumCapacity must be 0..25")
  .max(25, "maximumCapacity must be 0..25");

const utilizationBody = z.looseObject({
  utilization: z
    .partialRecord(
      z.enum(MEDIA_TYPES),
      z.looseObject({
        maximumCapacity: capacity,
        interruptableMediaTypes: z.array(z.enum(MEDIA_TYPES)).optional(),
        includeNonAcd: z.boolean().optional(),
      }),
    )
    .optional(),
  labelUtilizations: z
    .record(
      z.string().min(1),
      z.looseObject({
        maximumCapacity: capacity,
        interruptingLabelIds: z.array(z.string().min(1)).optional(),
      }),
    )
    .optional(),
});

export function registerUtilizationRoutes(app: FastifyInstance, store: EmulatorStore): void {
  const singleton = store.records<Utilization>("routingUtilization");
  const path = "/api/v2/routing/utilization";

  app.get(path, async () => singleton.get(ORG_KEY) ?? DEFAULTS);

  app.put(path, async (request) => {
    const body = parseRequest(utilizationBody, request.body, "body");
    const utilization: Record<string, MediaUtilization> = { ...DEFAULTS.utilization };
    for (const [media, settings] of Object.entries(body.utilization ?? {})) {
      if (!settings) continue;
      utilization[media] = {
        maximumCapacity: settings.maximumCapacity,
        interruptableMediaTypes: settings.interruptableMediaTypes ?? [],
        includeNonAcd: settings.includeNonAcd ?? false,
      };
    }
    const labelUtilizations = Object.fromEntries(
      Object.entries(body.labelUtilizations ?? {}).map(([label, settings]) => [
        label,
        {
          maximumCapacity: settings.maximumCapacity,
          interruptingLabelIds: settings.interruptingLabelIds ?? [],
        },
      ]),
    );
    const saved: Utilization = { utilization, labelUtilizations };
    singleton.set(ORG_KEY, saved);
    return saved;
  });

  app.delete(path, async (_request, reply) => {
    singleton.delete(ORG_KEY);
    return reply.code(204).send();
  });
}
