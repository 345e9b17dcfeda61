/** Request validation with zod, answered with a Genesys 400 whose message a person can act on. */
import type { z } from "zod";
import { GenesysError } from "./errors";

/**
 * Parses `value` with `schema`, or throws a Genesys 400 naming every bad field of the request `part`.
 *
 * In a body, a field whose value is `null` counts as absent (at any depth), as the Platform API's JSON binding
 * treats it. The Go SDK sends `null` for every nil pointer to a slice it was given, e.g. `"memberGroups": null`
 * and `"routingRules": null` on every queue create of `genesyscloud_routing_queue`
 * (`MemberGroups: &memberGroups` in `createRoutingQueue`, resource_genesyscloud_routing_queue.go), and the real
 * API accepts it.
 */
export function parseRequest<T>(schema: z.ZodType<T>, value: unknown, part: "body" | "query" | "path"): T {
  const result = schema.safeParse(part === "body" ? withoutNulls(value ?? {}) : (value ?? {}));
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join(".") : part;
    return `${field}: ${issue.message}`;
  });
  throw new GenesysError(400, "The request {part} is invalid: {problems}", {
    part,
    problems: problems.join("; "),
  });
}

/** A copy of a JSON value with every `null`-valued object field removed (array items are kept as they are). */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === null ? item : withoutNulls(item)));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== null)
      .map(([key, field]) => [key, withoutNulls(field)]),
  );
}
