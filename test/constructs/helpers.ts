import { ConstructPropsError } from "../../constructs/validation";
import { readInboundMessageTemplates } from "../../stacks/genesys-environment-stack";

/** The repository's flow templates, read as the stack reads them. */
export const FLOW_TEMPLATES = readInboundMessageTemplates();

/**
 * Asserts that `create` throws one ConstructPropsError for the construct at `path`, listing exactly `problems`
 * (one line each, in order).
 */
export function expectPropsError(create: () => unknown, path: string, problems: readonly string[]): void {
  let error: unknown;
  try {
    create();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConstructPropsError);
  const propsError = error as ConstructPropsError;
  expect(propsError.path).toBe(path);
  expect(propsError.problems).toEqual(problems);
  expect(propsError.message.split("\n")[0]).toBe(`${path}: invalid props`);
}

/** The message of the ConstructPropsError that `create` throws; fails the test when it throws nothing. */
export function propsErrorMessage(create: () => unknown): string {
  try {
    create();
  } catch (error) {
    expect(error).toBeInstanceOf(ConstructPropsError);
    return (error as Error).message;
  }
  throw new Error("expected the props to be refused");
}
