/** The stack name of an environment: `gc-<name>`. A contract: the state's key and the CI matrix use it. */
export function stackName(environment: string): string {
  return `gc-${environment}`;
}
