/**
 * An IVR (`genesyscloud_architect_ivr`): the phone numbers (DNIS) a call comes in on, and the inbound call flows
 * that answer them in open hours, closed hours and holidays.
 */
import { Construct } from "constructs";
import { ArchitectIvr } from "../.gen/providers/genesyscloud/architect-ivr";
import { E164_NUMBER, ID_MAX_LENGTH, IVR_NAME_MAX_LENGTH } from "../genesys";
import { destroyLifecycle, type DestroyProtectionProps } from "./protection";
import { isUnresolved, PropsChecker, validateProps } from "./validation";

/** An inbound call flow an IVR routes to: the `InboundCallFlow` construct, or anything with its id. */
export interface IvrFlow {
  /**
   * Id of the published inbound call flow.
   */
  readonly flowId: string;
}

/** Props of {@link Ivr}. */
export interface IvrProps extends DestroyProtectionProps {
  /**
   * IVR name; a new name replaces the IVR (the provider's `name` is ForceNew), so its numbers move at once.
   */
  readonly name: string;
  /**
   * What the IVR is for, for administrators.
   * @default - no description
   */
  readonly description?: string;
  /**
   * The phone numbers that reach the IVR, in E.164 form (`+13175550100`), each once; they must be numbers of the
   * org (a DID pool's, or bought through Genesys Cloud Voice).
   */
  readonly dnis: readonly string[];
  /**
   * The inbound call flow that answers in open hours (always, without a schedule group).
   */
  readonly openHoursFlow: IvrFlow;
  /**
   * The inbound call flow that answers in closed hours; only with `scheduleGroupId`.
   * @default - none: Genesys uses the open-hours flow
   */
  readonly closedHoursFlow?: IvrFlow;
  /**
   * The inbound call flow that answers on holidays; only with `scheduleGroupId`.
   * @default - none: Genesys uses the open-hours flow
   */
  readonly holidayHoursFlow?: IvrFlow;
  /**
   * The schedule group that says when the IVR is open, closed or on holiday.
   * @default - no schedule group: the IVR is always open
   */
  readonly scheduleGroupId?: string;
  /**
   * The division the IVR belongs to.
   * @default - Genesys puts the IVR in the home division
   */
  readonly divisionId?: string;
}

/**
 * One IVR (`genesyscloud_architect_ivr`, child id `Resource`): every call to one of its numbers starts its
 * open-hours flow (or, with a schedule group, the closed-hours or holiday flow).
 *
 * Deploys: provider 1.82.0 waits 3 s before creating or updating an IVR that has numbers (for a DID pool created
 * in the same apply), sends at most 50 numbers per request and adds the rest in further updates 2 s apart, and
 * retries a create that answers 400. The numbers must already be the org's; a DID pool is telephony configuration
 * outside this construct.
 */
export class Ivr extends Construct {
  /** Id of the IVR. */
  public readonly ivrId: string;
  /** The numbers that reach it, as given. */
  public readonly dnis: readonly string[];
  /** The generated IVR resource (also `node.defaultChild`). */
  public readonly resource: ArchitectIvr;

  constructor(scope: Construct, id: string, props: IvrProps) {
    super(scope, id);
    validateProps(this, props, checkIvrProps);
    this.resource = new ArchitectIvr(this, "Resource", {
      name: props.name,
      description: props.description,
      dnis: [...props.dnis],
      openHoursFlowId: props.openHoursFlow.flowId,
      closedHoursFlowId: props.closedHoursFlow?.flowId,
      holidayHoursFlowId: props.holidayHoursFlow?.flowId,
      scheduleGroupId: props.scheduleGroupId,
      divisionId: props.divisionId,
      lifecycle: destroyLifecycle(props),
    });
    this.ivrId = this.resource.id;
    this.dnis = props.dnis;
  }
}

/** Records every problem with an IVR's props. */
function checkIvrProps(check: PropsChecker, props: IvrProps): void {
  check
    .text("name", props.name, IVR_NAME_MAX_LENGTH, true)
    .text("scheduleGroupId", props.scheduleGroupId, ID_MAX_LENGTH)
    .text("divisionId", props.divisionId, ID_MAX_LENGTH);
  checkDnis(check, props.dnis);
  checkScheduledFlows(check, props);
}

/** Records phone numbers that are not E.164, listed twice, or none at all (prop `dnis`). */
export function checkDnis(check: PropsChecker, dnis: readonly string[] | undefined): void {
  if (dnis === undefined || isUnresolved(dnis)) return;
  if (dnis.length === 0) {
    check.problem("dnis", [], "at least one phone number", "an IVR without numbers receives no call");
  }
  dnis.forEach((number, index) => {
    if (isUnresolved(number)) return;
    if (!E164_NUMBER.test(number)) {
      check.problem(`dnis[${index}]`, number, "a phone number in E.164 form, e.g. +13175550100");
    } else if (dnis.indexOf(number) < index) {
      check.problem(`dnis[${index}]`, number, "listed once");
    }
  });
}

/** Closed-hours and holiday flows need a schedule group to ever run. */
function checkScheduledFlows(check: PropsChecker, props: IvrProps): void {
  if (props.scheduleGroupId !== undefined) return;
  for (const prop of ["closedHoursFlow", "holidayHoursFlow"] as const) {
    if (props[prop] !== undefined) {
      check.problem(
        prop,
        "(a flow)",
        "left out without scheduleGroupId",
        "without a schedule group the IVR is always open",
      );
    }
  }
}
