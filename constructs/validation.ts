/**
 * How constructs report bad props: every problem at once, in one error whose message starts with the construct
 * path, then one line per problem naming the prop, the value received and what is allowed. Unresolved tokens are
 * skipped (nothing to check until synth or apply).
 *
 * One way for every construct: its constructor's first statement after `super` is
 * `validateProps(this, props, check<Construct>Props)`, before any child exists; `check<Construct>Props` is a
 * function of the construct's file that records problems on the {@link PropsChecker} and never throws.
 */
import { Token } from "cdktf";
import type { Construct } from "constructs";
import { formatValue } from "../capacity/format";
import type { Range } from "../genesys";

/** Bad props of one construct: `problems` holds one readable line per problem. */
export class ConstructPropsError extends Error {
  constructor(
    /** The construct path, e.g. `gc-prod/Channel/Shard000/Queue`. */
    readonly path: string,
    /** One line per problem: `<prop> must be <allowed>, got <value>`. */
    readonly problems: readonly string[],
  ) {
    super(`${path}: invalid props\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConstructPropsError";
  }
}

/** True when the value is a token that only resolves at synth or apply time (nothing to check yet). */
export function isUnresolved(value: unknown): boolean {
  return (
    (typeof value === "string" || typeof value === "number" || Array.isArray(value)) &&
    Token.isUnresolved(value)
  );
}

/** Collects problems with a construct's props and throws them together. */
export class PropsChecker {
  private readonly problems: string[] = [];

  constructor(
    /** The construct whose props are checked: its path starts the error. */
    readonly scope: Construct,
  ) {}

  /** Records `<prop> must be <allowed>, got <value>[ (<hint>)]`. */
  problem(prop: string, value: unknown, allowed: string, hint?: string): this {
    this.problems.push(`${prop} must be ${allowed}, got ${formatValue(value)}${hint ? ` (${hint})` : ""}`);
    return this;
  }

  /** Records a problem in free text (when the standard shape does not fit). */
  note(line: string): this {
    this.problems.push(line);
    return this;
  }

  /**
   * Checks an optional number against a range, usually one of Genesys's (genesys/): `an integer from 1 to 60`,
   * `a number from 0 to 1`, `an integer of at least 7`. Unresolved tokens and undefined pass.
   */
  within(prop: string, value: number | undefined, range: Range, hint?: string): this {
    if (value === undefined || isUnresolved(value)) return this;
    const { min, max, integer } = range;
    const valid = integer ? Number.isInteger(value) : Number.isFinite(value);
    if (!valid || value < min || (max !== undefined && value > max)) {
      const bounds = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
      this.problem(prop, value, `${integer ? "an integer" : "a number"} ${bounds}`, hint);
    }
    return this;
  }

  /** Checks an optional integer in [min, max]; unresolved tokens and undefined pass. */
  integer(prop: string, value: number | undefined, min: number, max: number, hint?: string): this {
    return this.within(prop, value, { min, max, integer: true }, hint);
  }

  /** Checks that an optional string is not blank and at most `maxLength` long. */
  text(prop: string, value: string | undefined, maxLength: number, required = false): this {
    if (value === undefined) {
      if (required) this.problem(prop, value, `a non-empty string of at most ${maxLength} characters`);
      return this;
    }
    if (isUnresolved(value)) return this;
    if (value.trim() === "" || value.length > maxLength) {
      this.problem(prop, value, `a non-empty string of at most ${maxLength} characters`);
    }
    return this;
  }

  /** Checks that an optional value is one of a closed set. */
  oneOf<T extends string>(prop: string, value: T | undefined, allowed: readonly T[]): this {
    if (value === undefined || isUnresolved(value)) return this;
    if (!allowed.includes(value)) this.problem(prop, value, `one of ${allowed.join(", ")}`);
    return this;
  }

  /** Throws every recorded problem at once, naming the construct path. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw new ConstructPropsError(this.scope.node.path, this.problems);
  }
}

/**
 * Validates a construct's props, the one way every construct does: `check` records each problem on a fresh
 * {@link PropsChecker}, then all of them are thrown at once as a {@link ConstructPropsError} naming `scope`'s path.
 * Call it first in the constructor, right after `super`, so a refused construct has no children.
 */
export function validateProps<P>(
  scope: Construct,
  props: P,
  check: (checker: PropsChecker, props: P) => void,
): void {
  const checker = new PropsChecker(scope);
  check(checker, props);
  checker.throwIfAny();
}
