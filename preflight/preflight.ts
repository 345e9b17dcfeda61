/**
 * The capacity preflight: plans the shards with the org's real limits (read by org-limits.ts) next to the
 * plan with the catalog's values, and reports, per limit, the catalog default, the org's value, the planned
 * use, the headroom left and whether Genesys raises it, with a verdict `fits` and its reasons.
 */
import { formatNumber, formatTable, type ColumnAlign } from "../capacity/format";
import { LIMITS_CATALOG } from "../capacity/catalog";
import { PlanInputError, type FieldNamer } from "../capacity/errors";
import { ceilingBasis, describeBasis, observedCeilingNote } from "../capacity/evidence";
import { planShards, type PlanOptions } from "../capacity/plan";
import type {
  CapacityPlan,
  CeilingBasis,
  LimitKey,
  LimitOverrides,
  LimitUsage,
  PlanInput,
  WarningCode,
} from "../capacity/types";
import type { LimitsCatalog, OrgLimit, OrgLimitsReading } from "./org-limits";

export interface PreflightInput {
  /** The plan as the environment asks for it; the org's values take precedence over its `limits`. */
  readonly planInput: PlanInput;
  /** The org's limits, from `readOrgLimits`. */
  readonly reading: OrgLimitsReading;
  /** @default LIMITS_CATALOG */
  readonly catalog?: LimitsCatalog;
  /** Names plan fields in the plan's messages, e.g. as flags. @default - as in PlanInput */
  readonly fieldName?: FieldNamer;
}

/** One catalog limit in the report. */
export interface PreflightLimitRow {
  readonly key: LimitKey;
  readonly title: string;
  /** The unit of the values and of `plannedUse`. */
  readonly unit: string;
  readonly catalogDefault: number | undefined;
  /** The org's effective value from its Limits API; undefined when not exposed or not reported. */
  readonly orgValue: number | undefined;
  /** The Limits API key the org's value was read from, e.g. "web.messaging/connections.rate.per.minute". */
  readonly orgKey: string | undefined;
  /** Genesys's documented default (`/limits/docs`). */
  readonly orgDefault: number | undefined;
  /** The most of this limit the org-based plan uses; undefined when the plan does not measure it. */
  readonly plannedUse: number | undefined;
  /** The ceiling the plan was checked against (the org's value, an override, a plan field or the catalog's). */
  readonly ceiling: number | undefined;
  /** ceiling − planned use; negative when over. */
  readonly headroomLeft: number | undefined;
  /** Whether the org can have the limit raised: Genesys's `configurable` flag, else the catalog's view. */
  readonly raisable: boolean | "unknown";
  readonly raisableFrom: "limits-docs" | "catalog";
  /** What the ceiling rests on. */
  readonly basis: CeilingBasis;
  /** `basis` in words, e.g. "org's Limits API" or "catalog: observed in load tests only, ...". */
  readonly evidence: string;
  /**
   * `over`: the plan exceeds it and does not fit; `warning`: over a soft bound (the deploy's own request rate,
   * or a per-shard ceiling above the limit's known value), noted without failing; `unchecked`: used but no
   * value is known; `not-used`: the plan does not use this limit.
   */
  readonly status: "ok" | "over" | "warning" | "unchecked" | "not-used";
}

export interface PreflightReport {
  readonly apiUrl: string;
  /** True when the plan with the org's values is feasible (the same verdict `shards` and synth give). */
  readonly fits: boolean;
  /** Why it does not fit: the plan's errors, one per exceeded limit. Empty when it fits. */
  readonly reasons: readonly string[];
  /** Things worth knowing that do not decide `fits`. */
  readonly notes: readonly string[];
  readonly rows: readonly PreflightLimitRow[];
  /** The plan with the catalog's values (and the environment's overrides). */
  readonly catalogPlan: CapacityPlan;
  /** The plan with the org's values. */
  readonly orgPlan: CapacityPlan;
}

/** The warnings about staffing, which the per-agent capacity row does not measure. */
const STAFFING_CODES: readonly WarningCode[] = ["agent-capacity-short", "agent-capacity-no-headroom"];

/**
 * Re-plans with the org's values and compares with the catalog-based plan.
 * @throws PlanInputError when the plan input is invalid (with either set of values).
 */
export function runPreflight(input: PreflightInput): PreflightReport {
  const catalog = input.catalog ?? LIMITS_CATALOG;
  const { planInput, reading } = input;
  const options = { fieldName: input.fieldName };
  const notes: string[] = [];

  const orgValues: LimitOverrides = {};
  const configurable: Partial<Record<LimitKey, boolean>> = {};
  for (const [key, limit] of Object.entries(reading.limits) as [LimitKey, OrgLimit][]) {
    if (limit.configurable !== undefined) configurable[key] = limit.configurable;
  }
  for (const [key, value] of Object.entries(reading.overrides) as [LimitKey, number][]) {
    if (!(Number.isSafeInteger(value) && value >= 1)) {
      notes.push(
        `${catalog[key].title}: the org reports ${value}, which the planner cannot use; kept the other value.`,
      );
      continue;
    }
    const fromEnvironment = planInput.limits?.[key];
    if (fromEnvironment !== undefined && fromEnvironment !== value) {
      notes.push(
        `${catalog[key].title}: the environment says ${fromEnvironment}, the org ${value}; used the org's.`,
      );
    }
    orgValues[key] = value;
  }
  for (const limit of Object.values(reading.limits)) {
    if (limit.matchedCandidate && limit.genesys && orgValues[limit.key] !== undefined) {
      notes.push(
        `${catalog[limit.key].title}: no Genesys source names its Limits API key; took ` +
          `${limit.genesys.namespace}/${limit.genesys.key} = ${limit.orgValue}, whose name reads as one. Check it.`,
      );
    }
  }

  // A per-shard ceiling given explicitly (a flag or the environment file) would shadow the org's limit in the
  // planner; the org's value wins when it is lower, with a note.
  let orgInput: PlanInput = { ...planInput, orgLimits: { values: orgValues, configurable } };
  const orgRate = orgValues.webMessagingConnectionsPerDeploymentPerMinute;
  if (
    planInput.arrivalsPerShardPerMinute !== undefined &&
    orgRate !== undefined &&
    orgRate < planInput.arrivalsPerShardPerMinute
  ) {
    notes.push(
      `${catalog.webMessagingConnectionsPerDeploymentPerMinute.title}: the plan input says ` +
        `${planInput.arrivalsPerShardPerMinute}, the org ${orgRate}; used the org's.`,
    );
    orgInput = { ...orgInput, arrivalsPerShardPerMinute: orgRate };
  }

  const catalogPlan = planShards(planInput, options);
  const orgPlan = planWithOrgValues(orgInput, options);
  const name = input.fieldName ?? ((field) => field);

  const rows = (Object.values(catalog) as LimitsCatalog[LimitKey][]).map((definition): PreflightLimitRow => {
    const org = reading.limits[definition.key];
    const limitValue = orgPlan.parameters.limits[definition.key];
    const origin = orgPlan.parameters.limitOrigins[definition.key];
    const limitBasis = ceilingBasis(definition.key, origin, {
      field: origin === "limits" ? `limits.${definition.key}` : undefined,
      orgConfigurable: org?.configurable,
    });
    // The per-agent capacity limit is compared with the capacity each agent is given; the planner's
    // agent-capacity usage (sessions vs agents × capacity) is a staffing check, reported in `reasons`.
    const use: Pick<LimitUsage, "used" | "available" | "basis"> | undefined =
      definition.key === "agentMaxMessageCapacity"
        ? planInput.agents && {
            used: planInput.agents.capacityPerAgent,
            available: limitValue,
            basis: limitBasis,
          }
        : highestUse(orgPlan.usage, definition.key);
    const ceiling = use?.available ?? limitValue;
    const plannedUse = use?.used;
    // Staffing (agents × capacity vs the target) is no check of the per-agent limit itself: it is in `reasons`.
    const findings = orgPlan.warnings.filter(
      (warning) => warning.limit === definition.key && !STAFFING_CODES.includes(warning.code),
    );
    let status: PreflightLimitRow["status"] = "not-used";
    if (findings.some((warning) => warning.severity === "error")) status = "over";
    else if (findings.some((warning) => warning.severity === "warning")) status = "warning";
    else if (plannedUse !== undefined) status = ceiling === undefined ? "unchecked" : "ok";
    const basis = use?.basis ?? limitBasis;
    return {
      key: definition.key,
      title: definition.title,
      unit: definition.unit,
      catalogDefault: definition.defaultValue,
      orgValue: org?.orgValue,
      orgKey:
        org?.orgValue === undefined || !org.genesys
          ? undefined
          : `${org.genesys.namespace}/${org.genesys.key}`,
      orgDefault: org?.orgDefault,
      plannedUse,
      ceiling,
      headroomLeft: plannedUse === undefined || ceiling === undefined ? undefined : ceiling - plannedUse,
      raisable: limitBasis.configurable,
      raisableFrom: limitBasis.configurableFrom === "org" ? "limits-docs" : "catalog",
      basis,
      evidence: describeBasis(basis, name, { configurable: false }),
      status,
    };
  });

  const reasons = orgPlan.warnings.filter((warning) => warning.severity === "error").map((w) => w.message);
  for (const warning of orgPlan.warnings) {
    if (warning.severity === "warning" || warning.code === "deploy-api-rate") notes.push(warning.message);
  }
  if (catalogPlan.shards !== orgPlan.shards) {
    notes.push(
      `With the org's values the plan needs ${orgPlan.shards} shards; with the catalog's ${catalogPlan.shards}.`,
    );
  }
  for (const row of rows.filter((candidate) => candidate.status === "unchecked")) {
    notes.push(`${row.title}: no value is known, so the plan was not checked against it.`);
  }
  if (reading.missingNamespaces.length > 0) {
    notes.push(
      `The org has no limits namespace ${reading.missingNamespaces.join(", ")} (404); catalog values used.`,
    );
  }
  if (reasons.length > 0 && catalogPlan.feasible) {
    notes.push("The plan fits the catalog's values: the org's own limits are what it exceeds.");
  }

  return { apiUrl: reading.apiUrl, fits: orgPlan.feasible, reasons, notes, rows, catalogPlan, orgPlan };
}

/** The org's values leave the plan impossible (e.g. a per-shard limit too small to leave any usable capacity). */
export class OrgLimitsDoNotFitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OrgLimitsDoNotFitError";
  }
}

/**
 * Plans with the org's values. Input that was valid with the catalog's values and fails only with the org's
 * means the org's limits are at fault, not the caller's input.
 * @throws OrgLimitsDoNotFitError naming the org's value that leaves no capacity.
 */
function planWithOrgValues(orgInput: PlanInput, options: PlanOptions): CapacityPlan {
  try {
    return planShards(orgInput, options);
  } catch (error) {
    if (!(error instanceof PlanInputError)) throw error;
    throw new OrgLimitsDoNotFitError(
      `with the org's limits, ${error.message}: the org's values leave no capacity`,
    );
  }
}

/** The usage entry of a limit with the largest share of its ceiling (or, without ceilings, the largest use). */
function highestUse(usage: readonly LimitUsage[], key: LimitKey): LimitUsage | undefined {
  const entries = usage.filter((entry) => entry.limit === key);
  return entries.reduce<LimitUsage | undefined>((best, entry) => {
    if (best === undefined) return entry;
    const share = (candidate: LimitUsage) => candidate.fraction ?? candidate.used;
    return share(entry) > share(best) ? entry : best;
  }, undefined);
}

/** A readable text report: verdict, plan summary, a table of limits, then reasons and notes. */
export function formatPreflightReport(report: PreflightReport, name: FieldNamer = (field) => field): string {
  const verdict = report.fits ? "FITS" : "DOES NOT FIT";
  const { orgPlan } = report;
  const lines = [
    `Capacity preflight against ${report.apiUrl}: the plan ${verdict} the org's limits.`,
    `Shards: ${orgPlan.shards} with the org's values (${orgPlan.baseShards} base + ` +
      `${orgPlan.spares} spare${orgPlan.spares === 1 ? "" : "s"}); ${report.catalogPlan.shards} with the catalog's values.`,
  ];
  if (orgPlan.bindingCeiling.basis.onlyObserved) lines.push(observedCeilingNote(orgPlan, name));
  lines.push("");
  const header = [
    "Limit",
    "Unit",
    "Catalog",
    "Org",
    "Default",
    "Planned use",
    "Left",
    "Raisable",
    "Status",
    "Rests on",
  ];
  const cells = report.rows.map((row) => [
    row.title,
    row.unit,
    formatOptional(row.catalogDefault),
    formatOptional(row.orgValue),
    formatOptional(row.orgDefault),
    formatOptional(row.plannedUse),
    formatOptional(row.headroomLeft),
    raisableText(row),
    row.status,
    row.evidence,
  ]);
  const align: ColumnAlign[] = [
    "left",
    "left",
    "right",
    "right",
    "right",
    "right",
    "right",
    "left",
    "left",
    "left",
  ];
  const [headerLine, ...cellLines] = formatTable([header, ...cells], align);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((row) => row[column].length)),
  );
  const rule = formatTable([widths.map((width) => "-".repeat(width))], align)[0];
  lines.push(headerLine, rule, ...cellLines);
  if (report.reasons.length > 0)
    lines.push("", "Does not fit because:", ...report.reasons.map((reason) => `  - ${reason}`));
  if (report.notes.length > 0) lines.push("", "Notes:", ...report.notes.map((note) => `  - ${note}`));
  return lines.join("\n");
}

/** Whether a limit can be raised, and who says so: "yes (org docs)", "no (catalog)", "unknown". */
function raisableText(row: PreflightLimitRow): string {
  if (row.raisable === "unknown") return "unknown";
  const from = row.raisableFrom === "limits-docs" ? "org docs" : "catalog";
  return `${row.raisable ? "yes" : "no"} (${from})`;
}

function formatOptional(value: number | undefined): string {
  return value === undefined ? "-" : formatNumber(value);
}
