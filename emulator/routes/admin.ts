/**
 * The emulator's own control endpoints under `/__emulator` (never faulted, never authenticated):
 * - `GET /__emulator/stats`, `POST /__emulator/reset-stats`: request, fault and unknown-path counts.
 * - `GET /__emulator/state`: the whole state, as the state file would hold it.
 * - `GET|POST|DELETE /__emulator/faults`: list, add or clear targeted faults.
 * - `PUT /__emulator/limits`: merge org limit values (`{ namespace: { key: value } }`) into the current ones;
 *   `DELETE /__emulator/limits`: reset them to what the emulator started with (defaults plus `--limits-file`).
 * - `POST /__emulator/seed`: create users, groups, teams and skill groups (see seed.ts); answers their ids.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { FAULT_STATUSES, type FaultInjector } from "../faults";
import type { Stats } from "../stats";
import { applySeed, seedSchema } from "../seed";
import type { EmulatorStore, LimitValues } from "../store";
import { parseRequest } from "../validation";

const targetedFault = z.object({
  pathPrefix: z.string().startsWith("/"),
  method: z.string().optional(),
  status: z.union(FAULT_STATUSES.map((status) => z.literal(status))),
  count: z.number().int().min(1).default(1),
  retryAfterSeconds: z.number().int().min(0).optional(),
});

const limitValues = z.record(z.string(), z.record(z.string(), z.number()));

export function registerAdminRoutes(
  app: FastifyInstance,
  context: { store: EmulatorStore; stats: Stats; faults: FaultInjector; startLimits?: LimitValues },
): void {
  const { store, stats, faults } = context;

  app.get("/__emulator/stats", async () => stats.snapshot());
  app.post("/__emulator/reset-stats", async () => {
    stats.reset();
    return stats.snapshot();
  });

  app.get("/__emulator/state", async () => store.snapshot());

  app.get("/__emulator/faults", async () => ({ targeted: faults.listTargeted() }));
  app.post("/__emulator/faults", async (request) => {
    faults.addTargeted(parseRequest(targetedFault, request.body, "body"));
    return { targeted: faults.listTargeted() };
  });
  app.delete("/__emulator/faults", async () => {
    faults.clearTargeted();
    return { targeted: [] };
  });

  app.post("/__emulator/seed", async (request) =>
    applySeed(store, parseRequest(seedSchema, request.body, "body")),
  );

  app.put("/__emulator/limits", async (request) => {
    store.setLimitOverrides(parseRequest(limitValues, request.body, "body"));
    return { limitOverrides: store.limitOverrides };
  });
  app.delete("/__emulator/limits", async () => {
    store.clearLimitOverrides();
    if (context.startLimits) store.setLimitOverrides(context.startLimits);
    return { limitOverrides: store.limitOverrides };
  });
}
