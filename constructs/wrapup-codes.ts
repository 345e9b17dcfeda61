/**
 * Wrap-up codes: the outcomes an agent picks after a conversation (`genesyscloud_routing_wrapupcode`). A
 * `WrapupCodes` set makes one `WrapupCode` per name; queues take the codes as constructs, never as ids.
 */
import { Construct } from "constructs";
import { RoutingWrapupcode } from "../.gen/providers/genesyscloud/routing-wrapupcode";
import { displayName, ID_MAX_LENGTH, idFromName, WRAPUP_CODE_NAME_MAX_LENGTH } from "../genesys";
import { destroyLifecycle, type DestroyProtectionProps } from "./protection";
import { isUnresolved, PropsChecker, validateProps } from "./validation";

/** Props of one `WrapupCode`. */
export interface WrapupCodeProps extends DestroyProtectionProps {
  /**
   * The name agents see in the wrap-up picker, unique in the org ignoring case.
   */
  readonly name: string;
  /**
   * What the code means, for administrators.
   * @default - no description
   */
  readonly description?: string;
  /**
   * The division the code belongs to.
   * @default - Genesys makes the code available in all divisions ("*")
   */
  readonly divisionId?: string;
}

/** One `genesyscloud_routing_wrapupcode` (child id `Resource`). */
export class WrapupCode extends Construct {
  /** The code's id in Genesys Cloud (resolves at apply time). */
  public readonly codeId: string;
  /** The code's name, as given (display prefix included). */
  public readonly codeName: string;
  /** The generated wrap-up code resource (also `node.defaultChild`). */
  public readonly resource: RoutingWrapupcode;

  constructor(scope: Construct, id: string, props: WrapupCodeProps) {
    super(scope, id);
    validateProps(this, props, checkWrapupCodeProps);

    this.resource = new RoutingWrapupcode(this, "Resource", {
      name: props.name,
      description: props.description,
      divisionId: props.divisionId,
      lifecycle: destroyLifecycle(props),
    });
    this.codeId = this.resource.id;
    this.codeName = props.name;
  }
}

/** A code in a `WrapupCodes` set: just its name, or its name with a description and division. */
export type WrapupCodeSpec = string | Omit<WrapupCodeProps, "protectFromDestroy">;

/** Props of a `WrapupCodes` set. */
export interface WrapupCodesProps extends DestroyProtectionProps {
  /**
   * The codes, by name or with details; names are unique ignoring case and each names its construct id.
   */
  readonly codes: readonly WrapupCodeSpec[];
  /**
   * Put before every name with `displayName` (e.g. the environment, "Prod").
   * @default - names are used as given
   */
  readonly namePrefix?: string;
  /**
   * Division of every code that names none itself.
   * @default - Genesys makes the codes available in all divisions ("*")
   */
  readonly divisionId?: string;
}

/**
 * The construct id of a code: its name in PascalCase, letters and digits only ("Billing issue" → "BillingIssue").
 * A contract: renaming a code replaces it in Genesys Cloud, and so does changing this function.
 */
export function wrapupCodeId(name: string): string {
  return idFromName(name);
}

/** How names compare: ignoring case and surrounding blanks, since agents could not tell such codes apart. */
function nameKey(name: string): string {
  return name.trim().toLowerCase();
}

/** Indices grouped by key, keeping only the keys shared by more than one index. */
function sharedKeys(keys: readonly (string | undefined)[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  keys.forEach((key, index) => {
    if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), index]);
  });
  return new Map([...groups].filter(([, indices]) => indices.length > 1));
}

/**
 * One `WrapupCode` per code, each addressed by its name (`wrapupCodeId`), not by its position: reordering the
 * list changes nothing in Genesys Cloud, and renaming one code replaces only that code. A composite: it has no
 * `Resource` of its own; each code's generated resource is `codes[i].resource`.
 */
export class WrapupCodes extends Construct {
  /** The codes, in the order given, each exposing its generated `resource`. */
  public readonly codes: readonly WrapupCode[];
  /** The codes' ids in Genesys Cloud, in the order given. */
  public readonly codeIds: readonly string[];
  private readonly byName = new Map<string, WrapupCode>();

  constructor(scope: Construct, id: string, props: WrapupCodesProps) {
    super(scope, id);
    validateProps(this, props, checkWrapupCodesProps);

    this.codes = codeSpecs(props).map((spec) => {
      const code = new WrapupCode(this, wrapupCodeId(spec.name), {
        name: displayName(props.namePrefix ?? "", spec.name),
        description: spec.description,
        divisionId: spec.divisionId ?? props.divisionId,
        protectFromDestroy: props.protectFromDestroy,
      });
      this.byName.set(nameKey(spec.name), code);
      return code;
    });
    this.codeIds = this.codes.map((code) => code.codeId);
  }

  /** The code with this name, as given in `codes` (without the prefix, ignoring case). Throws when there is none. */
  code(name: string): WrapupCode {
    const found = this.byName.get(nameKey(name));
    if (!found) throw new Error(`${this.node.path} has no wrap-up code named ${JSON.stringify(name)}`);
    return found;
  }
}

/** The codes of a set with every name-only code spelled out. */
function codeSpecs(props: WrapupCodesProps): Exclude<WrapupCodeSpec, string>[] {
  return props.codes.map((spec) => (typeof spec === "string" ? { name: spec } : spec));
}

/** Records the problems of one code's props; `prop` prefixes each prop name (`codes[2].`). */
function checkWrapupCode(
  checker: PropsChecker,
  prop: string,
  code: Omit<WrapupCodeProps, "protectFromDestroy">,
): void {
  checker.text(`${prop}name`, code.name, WRAPUP_CODE_NAME_MAX_LENGTH, true);
  checker.text(`${prop}divisionId`, code.divisionId, ID_MAX_LENGTH);
}

/** Records every problem with one wrap-up code's props. */
function checkWrapupCodeProps(checker: PropsChecker, props: WrapupCodeProps): void {
  checkWrapupCode(checker, "", props);
}

/** Records every problem with a set's props: each code's, and names that clash. */
function checkWrapupCodesProps(checker: PropsChecker, props: WrapupCodesProps): void {
  const specs = codeSpecs(props);
  if (specs.length === 0) checker.problem("codes", [], "at least one code");
  checker.text("divisionId", props.divisionId, ID_MAX_LENGTH);

  const literalNames = specs.map((spec, index) => {
    const prop = `codes[${index}].name`;
    if (isUnresolved(spec.name)) {
      checker.problem(prop, spec.name, "a literal string (the code's construct id is made from it)");
    } else if (typeof spec.name !== "string" || spec.name.trim() === "") {
      checker.problem(prop, spec.name, "a non-empty name");
    } else if (wrapupCodeId(spec.name) === "") {
      checker.problem(prop, spec.name, "a name with a letter or digit (the construct id is made of them)");
    } else {
      checkWrapupCode(checker, `codes[${index}].`, {
        ...spec,
        name: displayName(props.namePrefix ?? "", spec.name),
      });
      return spec.name;
    }
    return undefined;
  });

  const where = (indices: readonly number[]) =>
    indices.map((i) => `codes[${i}] ${JSON.stringify(literalNames[i])}`).join(", ");
  const sameName = sharedKeys(literalNames.map((name) => name && nameKey(name)));
  for (const indices of sameName.values()) {
    checker.note(`codes must have names unique ignoring case, got the same name at ${where(indices)}`);
  }
  for (const [constructId, indices] of sharedKeys(literalNames.map((n) => n && wrapupCodeId(n)))) {
    const names = new Set(indices.map((i) => nameKey(literalNames[i] ?? "")));
    if (names.size > 1) {
      checker.note(
        `codes must have names that make distinct construct ids, got "${constructId}" from ${where(indices)} (rename one)`,
      );
    }
  }
}
