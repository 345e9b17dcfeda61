/**
 * The field builders of the environment schema: numbers in Genesys's ranges and display names, each with an error
 * message that names what is allowed. Shared by every section of the file (config/schema.ts, config/voice.ts).
 */
import { z } from "zod";
import { ACW_MODES, QUEUE_RANGES, SKILL_EVALUATION_METHODS, type Range } from "../genesys";

/** An integer in [min, max] whose error message names the whole range. */
export function intBetween(min: number, max: number) {
  const error = `must be an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).gte(min, { error }).lte(max, { error });
}

/**
 * A number in a range Genesys accepts (genesys/), so the file is checked against the same bounds as the
 * constructs: `must be an integer from 1 to 60`, `must be from 0 to 1`, `must be a whole number >= 7`.
 */
export function inRange({ min, max, integer }: Range) {
  if (integer && max !== undefined) return intBetween(min, max);
  if (max !== undefined) {
    const error = `must be from ${min} to ${max}`;
    return z.number({ error }).gte(min, { error }).lte(max, { error });
  }
  const error = `must be ${integer ? "a whole number" : "a number"} >= ${min}`;
  const number = z.number({ error });
  return (integer ? number.int({ error }) : number).gte(min, { error });
}

/** A positive integer. */
export function positiveInt() {
  const error = "must be a whole number > 0";
  return z.number({ error }).int({ error }).gt(0, { error });
}

/** A non-empty string without surrounding spaces (a display name). */
export function displayName(max: number) {
  return z
    .string({ error: "must be a string" })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(max, { error: `must be at most ${max} characters` });
}

/**
 * The routing fields every queue section shares (the messaging shards' queue and the voice queue): after-call work
 * and skill evaluation, in the ranges and lists of genesys/.
 */
export function queueRoutingFields() {
  return {
    acwMode: z.enum(ACW_MODES).optional().describe("After-call work mode"),
    acwTimeoutMs: inRange(QUEUE_RANGES.acwTimeoutMs)
      .optional()
      .describe("After-call work timeout in milliseconds (only with the timeout modes)"),
    skillEvaluationMethod: z
      .enum(SKILL_EVALUATION_METHODS)
      .optional()
      .describe("How agent skills are matched"),
  };
}
