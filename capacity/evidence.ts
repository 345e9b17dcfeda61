/**
 * What each ceiling of a plan rests on (documented by Genesys, third-party sources, only observed in load
 * tests, recorded by the team, read from the org), and the advice about raising a limit, in one wording for
 * the planner, the `shards` CLI, the preflight and synth.
 */
import { LIMITS_CATALOG } from "./catalog";
import type { FieldNamer, PlanField } from "./errors";
import type { CapacityPlan, CeilingBasis, CeilingOrigin, LimitEvidence, LimitKey } from "./types";

/** What each catalog evidence tag means, in a few words. */
export const EVIDENCE_TEXT: Readonly<Record<LimitEvidence, string>> = {
  confirmed: "documented by Genesys",
  secondary: "third-party sources only",
  observed: "observed in load tests only, not documented by Genesys",
  none: "no source found",
};

/** Where a ceiling may come from, and whether the org said whether it is configurable. */
export interface BasisOptions {
  /** The plan field that set the value (origins `input` and `limits`). */
  readonly field?: PlanField;
  /** The org's `configurable` flag from its Limits docs, when read. */
  readonly orgConfigurable?: boolean;
  /** Whether the ceiling has a value. @default - true unless the origin is a catalog limit without a default */
  readonly known?: boolean;
  /**
   * Whether the team recorded a value for the limit (under `limits`, or the org reported one): then a value
   * set by a plan field is not "only observed".
   */
  readonly recorded?: boolean;
}

/**
 * What a ceiling rests on. `key` is the catalog limit the ceiling stands for; undefined for ceilings that are
 * no Genesys limit (`--max-shards`).
 */
export function ceilingBasis(
  key: LimitKey | undefined,
  origin: CeilingOrigin,
  options: BasisOptions = {},
): CeilingBasis {
  const definition = key === undefined ? undefined : LIMITS_CATALOG[key];
  const fromOrg = options.orgConfigurable !== undefined;
  const evidence = definition?.evidence;
  const recorded = options.recorded === true || origin === "limits" || origin === "org";
  return {
    origin,
    ...(options.field === undefined ? {} : { field: options.field }),
    ...(evidence === undefined ? {} : { evidence }),
    configurable: fromOrg ? options.orgConfigurable! : (definition?.raisable ?? "unknown"),
    configurableFrom: fromOrg ? "org" : "catalog",
    known: options.known ?? !(origin === "catalog" && definition?.defaultValue === undefined),
    onlyObserved: evidence === "observed" && !recorded,
  };
}

/**
 * A ceiling's basis in a few words, fields named by `name`, with whether it is configurable unless
 * `options.configurable` is false: e.g. "catalog: observed in load tests only, not
 * documented by Genesys", "org's Limits API; configurable", "capacity.sessionsPerShard (the limit: observed
 * in load tests only, ...)".
 */
export function describeBasis(
  basis: CeilingBasis,
  name: FieldNamer,
  options: { readonly configurable?: boolean } = {},
): string {
  const evidence = basis.evidence === undefined ? undefined : EVIDENCE_TEXT[basis.evidence];
  let text: string;
  switch (basis.origin) {
    case "catalog":
      text = basis.known ? `catalog: ${evidence ?? "no source"}` : `no known value (the limit: ${evidence})`;
      break;
    case "org":
      text = "org's Limits API";
      break;
    case "limits":
      text = `recorded in ${name(basis.field!)}`;
      break;
    case "input":
      text = basis.field === undefined ? "plan input" : `set by ${name(basis.field)}`;
      if (basis.onlyObserved) text += ` (the limit: ${evidence})`;
      break;
  }
  if (options.configurable === false || basis.configurable === "unknown") return text;
  text += basis.configurable ? "; configurable" : "; fixed";
  if (basis.configurableFrom === "org") text += " (org's Limits docs)";
  return text;
}

/** What to do about a limit the plan exceeds: whether and how Genesys raises it, in one wording. */
export function raiseAdvice(configurable: boolean | "unknown", from: "org" | "catalog"): string {
  if (from === "org") {
    return configurable === true
      ? "The org's Limits docs mark it configurable: ask Genesys Customer Care to raise it (a case with a reason)."
      : "The org's Limits docs mark it not configurable: Genesys does not raise it; change the plan.";
  }
  if (configurable === true)
    return "Genesys raises this limit on request (a Customer Care case with a reason).";
  if (configurable === false) return "Genesys does not raise this limit; change the plan.";
  return (
    "Whether Genesys raises it is unknown (no source says; the preflight reads `configurable` from the " +
    "org's Limits docs): ask Genesys Customer Care, or change the plan."
  );
}

/**
 * Why an observed binding ceiling matters, for the plan's headline: the shard count rests on it, and if the
 * wall is org-wide, shards do not lift it.
 */
export function observedCeilingNote(plan: CapacityPlan, name: FieldNamer): string {
  const { limit, value } = plan.bindingCeiling;
  return (
    `Note: the binding ceiling, ${value} ${lowerFirst(LIMITS_CATALOG[limit].title)}, is ` +
    `${EVIDENCE_TEXT.observed}. If the wall is tenant-wide ("Max concurrent connections exceeded for ` +
    `tenant"), more shards do not lift it: give the org's ceiling as ${name("limits.webMessagingSessionsPerOrg")} ` +
    `to check (README: "What the ceilings rest on").`
  );
}

/** A title inside a sentence: "Concurrent web ..." becomes "concurrent web ...". */
export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
