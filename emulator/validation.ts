/** Request validation with zod, answered with a Genesys 400 whose message a person can act on. */
import type { z } from "zod";
import { GenesysError } from "./errors";

/** Parses `value` with `schema`, or throws a Genesys 400 naming every bad field of the request `part`. */
export function parseRequest<T>(schema: z.ZodType<T>, value: unknown, part: "body" | "query" | "path"): T {
  const result = schema.safeParse(value ?? {});
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
