/**
 * Destroy protection: one prop, `protectFromDestroy`, with one meaning and one default on every construct.
 *
 * Why one prop: aws-cdk has one `RemovalPolicy` that every construct takes, not a flag per construct, so a reader
 * learns it once; here every construct's props extend {@link DestroyProtectionProps}. Why a boolean and not
 * `RemovalPolicy.RETAIN | DESTROY`: CloudFormation's RETAIN deletes the stack and leaves the object behind, while
 * Terraform's `prevent_destroy`, which this sets, refuses the plan; a name borrowed from aws-cdk would promise the
 * wrong thing. The environment files already call it `protectFromDestroy`, so the value keeps one name from the
 * file to the resource. The default is off, as in the environment files, so a construct left alone behaves like an
 * environment that does not ask; the stack passes the environment's value to every construct explicitly.
 */
import type { TerraformResourceLifecycle } from "cdktf";

/** Whether a construct protects its resources when `protectFromDestroy` is left out: no, as in the environment files. */
export const DEFAULT_PROTECT_FROM_DESTROY = false;

/** The destroy-protection prop every construct's props extend. */
export interface DestroyProtectionProps {
  /**
   * Give every resource the construct manages lifecycle `prevent_destroy`: `terraform destroy`, and any change
   * that would replace one of them, fails at plan. Removing the construct from the stack still destroys it
   * (Terraform drops the lifecycle with the resource).
   * @default DEFAULT_PROTECT_FROM_DESTROY (false)
   */
  readonly protectFromDestroy?: boolean;
}

/** The lifecycle of each resource a construct manages: `prevent_destroy` when protected, otherwise none. */
export function destroyLifecycle(props: DestroyProtectionProps): TerraformResourceLifecycle | undefined {
  return (props.protectFromDestroy ?? DEFAULT_PROTECT_FROM_DESTROY) ? { preventDestroy: true } : undefined;
}
