/**
 * The capacity preflight: plans the shards with the org's real limits (read by org-limits.ts) next to the
 * plan with the catalog's values, and reports, per limit, the catalog default, the org's value, the planned
 * use, the headroom left and whether Genesys raises it, with a verdict `fits` and its reasons.
 */
import { formatNumber, formatTable, type ColumnAlign } from "../capacity/format";
import { LIMITS_CATALOG } from "../capacity/catalog";
import { PlanInputError } from "../capacity/errors";
import { planShards } from "../capacity/plan";
import type { CapacityPlan, LimitKey, LimitOverrides, LimitUsage, PlanInput } from "../capacity/types";
import type { LimitsCatalog, OrgLimitsReading } from "./org-limits";

export interface PreflightInput {
  /** The plan as the environment asks for it; its `limits` are replaced by the org's values where known. */
  readonly planInput: PlanInput;
  /** The org's limits, from `readOrgLimits`. */
  readonly reading: OrgLimitsReading;
  /** @default LIMITS_CATALOG */
  readonly catalog?: LimitsCatalog;
}

/** One catalog limit in the report. */
export interface PreflightLimitRow {
  readonly key: LimitKey;
  readonly title: string;
  readonly unit: string;
  readonly catalogDefault: number | undefined;
  /** The org's effective value from its Limits API; undefined when not exposed or not reported. */
  readonly orgValue: number | undefined;
  /** Genesys's documented default (`/limits/docs`). */
  readonly orgDefault: number | undefined;
  /** The most of this limit the org-based plan uses; undefined when the plan does not measure it. */
  readonly plannedUse: number | undefined;
  /** The ceiling the plan was checked against (the org's value, an override or the catalog's). */
  readonly ceiling: number | undefined;
  /** ceiling − planned use; negative when over. */
  readonly headroomLeft: number | undefined;
  /** Whether the org can have the limit raised: Genesys's `configurable` flag, else the catalog's view. */
  readonly raisable: boolean | "unknown";
  readonly raisableFrom: "limits-docs" | "catalog";
  /** `over`: the plan needs more than the ceiling; `unchecked`: used but no value is known. */
  readonly status: "ok" | "over" | "unchecked" | "not-used";
}

export interface PreflightReport {
  readonly apiUrl: string;
  /** True when the plan with the org's values exceeds no limit. */
  readonly fits: boolean;
  /** Why it does not fit: one sentence per exceeded limit. Empty when it fits. */
  readonly reasons: readonly string[];
  /** Things worth knowing that do not decide `fits`. */
  readonly notes: readonly string[];
  readonly rows: readonly PreflightLimitRow[];
  /** The plan with the catalog's values (and the environment's overrides). */
  readonly catalogPlan: CapacityPlan;
  /** The plan with the org's values. */
  readonly orgPlan: CapacityPlan;
}

/**
 * Re-plans with the org's values and compares with the catalog-based plan.
 * @throws PlanInputError when the plan input is invalid (with either set of values).
 */
export function runPreflight(input: PreflightInput): PreflightReport {
  const catalog = input.catalog ?? LIMITS_CATALOG;
  const { planInput, reading } = input;
  const notes: string[] = [];

  const orgOverrides: LimitOverrides = { ...planInput.limits };
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
    orgOverrides[key] = value;
  }

  // A per-shard ceiling given explicitly (a flag or the environment file) would shadow the org's limit in the
  // planner; the org's value wins when it is lower, with a note.
  let orgInput: PlanInput = { ...planInput, limits: orgOverrides };
  const orgRate = reading.overrides.webMessagingConnectionsPerDeploymentPerMinute;
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

  const catalogPlan = planShards(planInput);
  const orgPlan = planWithOrgValues(orgInput);

  const rows = (Object.values(catalog) as LimitsCatalog[LimitKey][]).map((definition): PreflightLimitRow => {
    const org = reading.limits[definition.key];
    const limitValue = orgPlan.parameters.limits[definition.key];
    // The per-agent capacity limit is compared with the capacity each agent is given; the planner's
    // agent-capacity usage (sessions vs agents × capacity) is a staffing check, reported in `reasons`.
    const use =
      definition.key === "agentMaxMessageCapacity"
        ? planInput.agents && { used: planInput.agents.capacityPerAgent, available: limitValue }
        : highestUse(orgPlan.usage, definition.key);
    const ceiling = use?.available ?? limitValue;
    const plannedUse = use?.used;
    const configurable = org?.configurable;
    let status: PreflightLimitRow["status"] = "not-used";
    if (plannedUse !== undefined) {
      if (ceiling === undefined) status = "unchecked";
      else status = plannedUse > ceiling ? "over" : "ok";
    }
    return {
      key: definition.key,
      title: definition.title,
      unit: definition.unit,
      catalogDefault: definition.defaultValue,
      orgValue: org?.orgValue,
      orgDefault: org?.orgDefault,
      plannedUse,
      ceiling,
      headroomLeft: plannedUse === undefined || ceiling === undefined ? undefined : ceiling - plannedUse,
      raisable: configurable ?? definition.raisable,
      raisableFrom: configurable === undefined ? "catalog" : "limits-docs",
      status,
    };
  });

  const reasons = rows
    .filter((row) => row.status === "over")
    .map((row) => {
      const source = row.orgValue === row.ceiling ? "the org's limit" : "the ceiling";
      const catalogSide =
        row.catalogDefault !== undefined && row.catalogDefault !== row.ceiling
          ? ` (the catalog assumes ${formatNumber(row.catalogDefault)})`
          : "";
      return (
        `${row.title}: the plan needs ${formatNumber(row.plannedUse ?? 0)} ${row.unit}, over ${source} of ` +
        `${formatNumber(row.ceiling ?? 0)}${catalogSide}. ${raiseAdvice(row)}`
      );
    });
  for (const warning of orgPlan.warnings) {
    // Agents short of the target is not an org limit, but the sessions would not be answered: it fails too.
    const alreadyReported = rows.some((row) => row.status === "over" && row.key === warning.limit);
    if (alreadyReported) continue;
    if (warning.severity === "error" || warning.code === "agent-capacity-short")
      reasons.push(warning.message);
  }

  const deployNote = orgPlan.warnings.find((warning) => warning.code === "deploy-api-rate");
  if (deployNote) notes.push(deployNote.message);
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
  if (reasons.length > 0 && fitsWith(catalogPlan)) {
    notes.push("The plan fits the catalog's values: the org's own limits are what it exceeds.");
  }

  return { apiUrl: reading.apiUrl, fits: reasons.length === 0, reasons, notes, rows, catalogPlan, orgPlan };
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
function planWithOrgValues(orgInput: PlanInput): CapacityPlan {
  try {
    return planShards(orgInput);
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

function fitsWith(plan: CapacityPlan): boolean {
  return (
    plan.feasible &&
    plan.usage.every((entry) => entry.available === undefined || entry.used <= entry.available)
  );
}

function raiseAdvice(row: PreflightLimitRow): string {
  const where = row.raisableFrom === "limits-docs" ? "Genesys documents it as" : "the catalog says it is";
  if (row.raisable === true) return `Raisable: ${where} configurable; ask Customer Care to raise it.`;
  if (row.raisable === false) return `Not raisable (${where} fixed): change the plan.`;
  return "Whether Genesys raises it is unknown; ask Customer Care or change the plan.";
}

/** A readable text report: verdict, plan summary, a table of limits, then reasons and notes. */
export function formatPreflightReport(report: PreflightReport): string {
  const verdict = report.fits ? "FITS" : "DOES NOT FIT";
  const lines = [
    `Capacity preflight against ${report.apiUrl}: the plan ${verdict} the org's limits.`,
    `Shards: ${report.orgPlan.shards} with the org's values (${report.orgPlan.baseShards} base + ` +
      `${report.orgPlan.spares} spare); ${report.catalogPlan.shards} with the catalog's values.`,
    "",
  ];
  const header = ["Limit", "Unit", "Catalog", "Org", "Default", "Planned use", "Left", "Raisable", "Status"];
  const cells = report.rows.map((row) => [
    row.title,
    row.unit,
    formatOptional(row.catalogDefault),
    formatOptional(row.orgValue),
    formatOptional(row.orgDefault),
    formatOptional(row.plannedUse),
    formatOptional(row.headroomLeft),
    row.raisable === "unknown" ? "unknown" : row.raisable ? "yes" : "no",
    row.status,
  ]);
  const align: ColumnAlign[] = ["left", "left", "right", "right", "right", "right", "right", "left", "left"];
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

function formatOptional(value: number | undefined): string {
  return value === undefined ? "-" : formatNumber(value);
}
