/**
 * A Web Services Data Action: the `custom-rest-actions` integration that holds it, the credential it calls its
 * backend with, and the action itself.
 */
import Ajv from "ajv";
import { TerraformVariable, Token } from "cdktf";
import { Construct } from "constructs";
import { Integration } from "../.gen/providers/genesyscloud/integration";
import { IntegrationAction } from "../.gen/providers/genesyscloud/integration-action";
import { IntegrationCredential } from "../.gen/providers/genesyscloud/integration-credential";
import {
  ACKNOWLEDGE_TIMEOUT_SECONDS,
  DATA_ACTION_METHODS,
  DATA_ACTION_NAME_MAX_LENGTH,
  DATA_ACTION_TIMEOUT_SECONDS,
  DEFAULT_ACKNOWLEDGE_TIMEOUT_SECONDS,
  type DataActionMethod,
} from "../genesys";
import { destroyLifecycle, type DestroyProtectionProps } from "./protection";
import { isUnresolved, PropsChecker, validateProps } from "./validation";

/** The integration type of Web Services Data Actions (REST backends). */
export const CUSTOM_REST_ACTIONS = "custom-rest-actions";

/**
 * The key a `custom-rest-actions` integration files its credential under, whatever the credential's type (the
 * integration type declares one credential slot, named `basicAuth`).
 */
export const CREDENTIAL_SLOT = "basicAuth";

/** Execution timeout of a Data Action when none is given: short, so a slow backend fails fast (see {@link DataAction}). */
export const DEFAULT_DATA_ACTION_TIMEOUT_SECONDS = 5;

/**
 * What an action's backend does while the flow waits:
 * - `lookup`: reads and answers data the flow uses (the caller waits for the backend's work);
 * - `acknowledge`: receives a few correlation ids, answers 2xx (202 Accepted) at once with nothing the flow reads,
 *   and does its work (a ticket, a CRM update) in the background, so the flow never waits for it. Build its props
 *   with `acknowledgeDataActionProps`; it is the pattern for anything that writes to a ticketing system.
 */
export type DataActionPattern = "lookup" | "acknowledge";

/** The pattern of an action when none is given. */
export const DEFAULT_DATA_ACTION_PATTERN: DataActionPattern = "lookup";

/** Methods an acknowledge-only action may send its correlation ids with (it hands work over, it reads nothing). */
const ACKNOWLEDGE_METHODS: readonly DataActionMethod[] = ["POST", "PUT", "PATCH"];

/** Credential types a Web Services Data Actions integration accepts. */
export type DataActionCredentialType = "basicAuth" | "userDefined" | "userDefinedOAuth";
const CREDENTIAL_TYPES: readonly DataActionCredentialType[] = [
  "basicAuth",
  "userDefined",
  "userDefinedOAuth",
];

/** Fields each credential type needs, and which of them are secret by default. */
const CREDENTIAL_FIELDS: Record<DataActionCredentialType, { required: string[]; secret: string[] }> = {
  basicAuth: { required: ["userName", "password"], secret: ["password"] },
  userDefined: { required: [], secret: [] },
  userDefinedOAuth: { required: ["clientId", "clientSecret"], secret: ["clientSecret"] },
};

/** Field names that hold secrets whatever the credential type: their values may never be literal text. */
const SECRET_LOOKING_FIELD = /(password|passphrase|secret|token|api[-_]?key|private[-_]?key)$/i;

/** A JSON Schema object, as Data Action contracts are written (`{ type: "object", properties: { ... } }`). */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** How the action calls its backend. */
export interface DataActionRequest {
  /**
   * HTTP method.
   */
  readonly method: DataActionMethod;
  /**
   * URL template (Velocity), written as Genesys shows it, e.g.
   * `https://crm.example.com/customers/${input.id}`.
   */
  readonly urlTemplate: string;
  /**
   * Headers sent with every request (Velocity allowed in values).
   * @default - no extra headers
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Request body template (Velocity).
   * @default - Genesys sends `${input.rawRequest}`, the action's input as JSON
   */
  readonly bodyTemplate?: string;
}

/** How the backend's reply becomes the action's output. */
export interface DataActionResponse {
  /**
   * Variables taken from the reply: variable name → JSONPath, e.g. `{ tier: "$.customer.tier" }`.
   * @default - no variables are extracted
   */
  readonly translationMap?: Readonly<Record<string, string>>;
  /**
   * Fallback values for `translationMap` entries whose JSONPath finds nothing.
   * @default - a missing value fails the action
   */
  readonly translationMapDefaults?: Readonly<Record<string, string>>;
  /**
   * Output template (Velocity) that builds the output contract's JSON.
   * @default - Genesys returns `${rawResult}`, the backend's reply as is
   */
  readonly successTemplate?: string;
}

/** The credential the integration calls the backend with. Secret values never appear in code or synth output. */
export interface DataActionCredential {
  /**
   * Credential type.
   */
  readonly type: DataActionCredentialType;
  /**
   * Fields that are not secret, as literal text, e.g. `{ userName: "svc-genesys" }`.
   * @default - no plain fields
   */
  readonly fields?: Readonly<Record<string, string>>;
  /**
   * Secret fields the construct declares a sensitive Terraform variable for, named by
   * {@link dataActionSecretVariableName}: set `TF_VAR_<name>` when running `terraform plan`/`apply`.
   * @default - the type's secret fields: `password` (basicAuth), `clientSecret` (userDefinedOAuth), none (userDefined)
   */
  readonly secretFields?: readonly string[];
  /**
   * Secret field values that come from elsewhere: a `TerraformVariable` or a token (never literal text).
   * @default - every secret field gets its own variable
   */
  readonly secrets?: Readonly<Record<string, TerraformVariable | string>>;
}

/** Props of {@link DataAction}; `protectFromDestroy` covers the action, its integration and its credential. */
export interface DataActionProps extends DestroyProtectionProps {
  /**
   * Action name, as flows call it (Architect finds the action by category and name).
   */
  readonly name: string;
  /**
   * Category the action is listed under; flows name it together with the action.
   * @default - the integration name, so flows and the Architect UI show the two together
   */
  readonly category?: string;
  /**
   * Name of the Web Services Data Actions integration created for this action.
   * @default - the action name
   */
  readonly integrationName?: string;
  /**
   * How the action calls its backend.
   */
  readonly request: DataActionRequest;
  /**
   * How the backend's reply becomes the action's output.
   * @default - Genesys returns the backend's reply as is
   */
  readonly response?: DataActionResponse;
  /**
   * Input contract: a JSON Schema whose root is `type: "object"`; checked as a schema at synth.
   */
  readonly contractInput: JsonSchema;
  /**
   * Output contract: a JSON Schema whose root is `type: "object"`; checked as a schema at synth.
   */
  readonly contractOutput: JsonSchema;
  /**
   * Execution timeout in seconds, 1–60 (acknowledge: 1–10); keep it to a few seconds (see {@link DataAction}).
   * @default DEFAULT_DATA_ACTION_TIMEOUT_SECONDS (5); DEFAULT_ACKNOWLEDGE_TIMEOUT_SECONDS (3) for `acknowledge`
   */
  readonly timeoutSeconds?: number;
  /**
   * What the backend does while the flow waits: answers data (`lookup`) or only acknowledges (`acknowledge`: an
   * empty output contract, a write method, a timeout of at most 10 s).
   * @default DEFAULT_DATA_ACTION_PATTERN ("lookup")
   */
  readonly pattern?: DataActionPattern;
  /**
   * Credential the integration calls the backend with.
   * @default - no credential: the backend is called without authentication
   */
  readonly credential?: DataActionCredential;
  /**
   * Marks the action as handling sensitive data (inputs and outputs are kept out of logs); changing it replaces the action.
   * @default false - Genesys creates a regular action
   */
  readonly secure?: boolean;
}

/**
 * A Web Services Data Action (`genesyscloud_integration_action`) in its own `custom-rest-actions` integration
 * (`genesyscloud_integration`), with an optional credential (`genesyscloud_integration_credential`).
 *
 * **Fail fast.** A flow that calls a Data Action holds the session at that step until the action returns or times
 * out. A slow backend therefore holds every session at flow entry: calls see 408s at IVR entry, message sessions
 * stay stuck before they reach a queue, and the org's concurrent-execution limit fills up. Keep `timeoutSeconds`
 * to a few seconds (the default is {@link DEFAULT_DATA_ACTION_TIMEOUT_SECONDS}) and give the flow failure and
 * timeout paths that still route the session, as {@link InboundMessageFlow} does.
 *
 * **Acknowledge, do not wait.** An action that writes somewhere slow (a ticket in ServiceNow) should not hold the
 * caller while the ticket is made: `pattern: "acknowledge"` (props from `acknowledgeDataActionProps`) sends only
 * correlation ids, expects a 2xx (202 Accepted) at once with an empty output contract, and times out after a few
 * seconds; the endpoint does the work in the background. It is the default for anything writing to a ticketing
 * system: the org's concurrent executions then stay free however slow the ticketing system is.
 *
 * **Secrets.** Secret credential fields are never props values: each one is a sensitive `TerraformVariable`, either
 * declared here (named by {@link dataActionSecretVariableName}, set with `TF_VAR_<name>` at plan/apply time) or
 * passed in through `credential.secrets`. Literal text for a secret-looking field is rejected.
 *
 * Request and response templates are Velocity, written as Genesys shows them (`${input.id}`); the construct
 * escapes them for Terraform (`$${`), so write no `$${` yourself.
 *
 * **Protection.** `protectFromDestroy` puts `prevent_destroy` on the action, its integration and its credential:
 * while any of them is gone, every flow that calls the action takes its failure path. A change that replaces the
 * action (`contractInput`, `contractOutput`, `secure`) then fails at plan.
 *
 * A composite: the action is `resource` (child id `Resource`, so also `node.defaultChild`), the integration
 * `integration`, the credential `credential`.
 */
export class DataAction extends Construct {
  /** Id of the action. */
  public readonly actionId: string;
  /** Name of the action (a reference to the resource, so a flow naming it waits for it). */
  public readonly actionName: string;
  /** Category of the action (a reference to the resource). */
  public readonly category: string;
  /** Id of the integration that holds the action. */
  public readonly integrationId: string;
  /** The input contract, as given: flows check the inputs they pass against it. */
  public readonly contractInput: JsonSchema;
  /** The execution timeout in seconds, as deployed (the default applied): call flows check it against a caller's wait. */
  public readonly timeoutSeconds: number;
  /** What the backend does while the flow waits. */
  public readonly pattern: DataActionPattern;
  /** The sensitive variables this construct declared, by credential field. */
  public readonly secretVariables: Readonly<Record<string, TerraformVariable>>;
  /** The generated action resource (also `node.defaultChild`). */
  public readonly resource: IntegrationAction;
  /** The generated `custom-rest-actions` integration that holds the action. */
  public readonly integration: Integration;
  /** The generated credential the integration calls the backend with; undefined without `credential`. */
  public readonly credential: IntegrationCredential | undefined;

  constructor(scope: Construct, id: string, props: DataActionProps) {
    super(scope, id);
    validateProps(this, props, checkDataActionProps);

    const integrationName = props.integrationName ?? props.name;
    this.pattern = props.pattern ?? DEFAULT_DATA_ACTION_PATTERN;
    this.timeoutSeconds = props.timeoutSeconds ?? defaultTimeoutSeconds(this.pattern);
    const lifecycle = destroyLifecycle(props);
    const credential = props.credential;
    const secretVariables: Record<string, TerraformVariable> = {};
    if (credential) {
      const secretValues: Record<string, string> = {};
      for (const field of secretFieldsOf(credential)) {
        const given = credential.secrets?.[field];
        if (given !== undefined) {
          secretValues[field] = given instanceof TerraformVariable ? given.stringValue : given;
          continue;
        }
        const variable = new TerraformVariable(this, `Secret${pascalCase(field)}`, {
          type: "string",
          sensitive: true,
          nullable: false,
          description: `${credential.type} credential field "${field}" of the Data Action "${props.name}"`,
        });
        variable.overrideLogicalId(dataActionSecretVariableName(props.name, field));
        secretVariables[field] = variable;
        secretValues[field] = variable.stringValue;
      }
      this.credential = new IntegrationCredential(this, "Credential", {
        name: `${integrationName} credential`,
        credentialTypeName: credential.type,
        fields: { ...credential.fields, ...secretValues },
        lifecycle,
      });
    }

    this.integration = new Integration(this, "Integration", {
      integrationType: CUSTOM_REST_ACTIONS,
      intendedState: "ENABLED",
      config: {
        name: integrationName,
        credentials: this.credential ? { [CREDENTIAL_SLOT]: this.credential.id } : undefined,
      },
      lifecycle,
    });

    const { request, response } = props;
    this.resource = new IntegrationAction(this, "Resource", {
      name: props.name,
      category: props.category ?? integrationName,
      integrationId: this.integration.id,
      secure: props.secure,
      contractInput: JSON.stringify(props.contractInput),
      contractOutput: JSON.stringify(props.contractOutput),
      configTimeoutSeconds: this.timeoutSeconds,
      configRequest: {
        requestType: request.method,
        requestUrlTemplate: escapeForTerraform(request.urlTemplate),
        requestTemplate: optional(request.bodyTemplate, escapeForTerraform),
        headers: optional(request.headers, escapeValues),
      },
      configResponse: response && {
        translationMap: optional(response.translationMap, escapeValues),
        translationMapDefaults: optional(response.translationMapDefaults, escapeValues),
        successTemplate: optional(response.successTemplate, escapeForTerraform),
      },
      lifecycle,
    });

    this.actionId = this.resource.id;
    this.actionName = this.resource.name;
    this.category = this.resource.category;
    this.integrationId = this.integration.id;
    this.contractInput = props.contractInput;
    this.secretVariables = secretVariables;
  }
}

/**
 * The Terraform variable that holds one secret credential field of a Data Action: `data_action_<action>_<field>`
 * in snake case, e.g. ("Prod Customer Lookup", "clientSecret") → `data_action_prod_customer_lookup_client_secret`,
 * set with `TF_VAR_data_action_prod_customer_lookup_client_secret`. Stable as long as the action name is.
 */
export function dataActionSecretVariableName(actionName: string, field: string): string {
  return `data_action_${snakeCase(actionName)}_${snakeCase(field)}`;
}

/** The execution timeout of an action of this pattern when none is given. */
function defaultTimeoutSeconds(pattern: DataActionPattern): number {
  return pattern === "acknowledge"
    ? DEFAULT_ACKNOWLEDGE_TIMEOUT_SECONDS
    : DEFAULT_DATA_ACTION_TIMEOUT_SECONDS;
}

/**
 * An acknowledge-only action hands work over and reads nothing back: a write method, an output contract without
 * properties, and a timeout of a few seconds.
 */
function checkAcknowledgeProps(check: PropsChecker, props: DataActionProps): void {
  check.within(
    "timeoutSeconds",
    props.timeoutSeconds,
    ACKNOWLEDGE_TIMEOUT_SECONDS,
    "an acknowledge-only endpoint answers 202 at once; one that needs longer does the work in the call's path",
  );
  const method = props.request.method;
  if (!isUnresolved(method) && !ACKNOWLEDGE_METHODS.includes(method)) {
    check.problem(
      "request.method",
      method,
      `one of ${ACKNOWLEDGE_METHODS.join(", ")} for an acknowledge-only action`,
      "it sends correlation ids for work done in the background",
    );
  }
  const output = props.contractOutput as { properties?: Record<string, unknown> } | undefined;
  const outputs = Object.keys(output?.properties ?? {});
  if (outputs.length > 0) {
    check.problem(
      "contractOutput.properties",
      outputs,
      "empty for an acknowledge-only action",
      "the flow reads nothing from an acknowledgement; a lookup is a separate action",
    );
  }
}

/** Records every problem with a Data Action's props. */
function checkDataActionProps(check: PropsChecker, props: DataActionProps): void {
  check.oneOf("pattern", props.pattern, ["lookup", "acknowledge"]);
  if (props.pattern === "acknowledge") checkAcknowledgeProps(check, props);
  check
    .text("name", props.name, DATA_ACTION_NAME_MAX_LENGTH, true)
    .text("category", props.category, DATA_ACTION_NAME_MAX_LENGTH)
    .text("integrationName", props.integrationName, DATA_ACTION_NAME_MAX_LENGTH)
    .within(
      "timeoutSeconds",
      props.timeoutSeconds,
      DATA_ACTION_TIMEOUT_SECONDS,
      "keep it to a few seconds: a slow backend holds every session at that flow step",
    )
    .oneOf("request.method", props.request.method, DATA_ACTION_METHODS);

  const category = props.category ?? props.integrationName ?? props.name;
  if (!isUnresolved(category) && /function[\s_-]+data[\s_-]+action/i.test(category ?? "")) {
    check.problem(
      "category",
      category,
      'a category without "function data action"',
      "Genesys treats such actions as Function Data Actions, which need a function package",
    );
  }

  const url = props.request.urlTemplate;
  if (!isUnresolved(url) && !/^https?:\/\/\S+$/.test(url ?? "")) {
    check.problem("request.urlTemplate", url, "an http(s) URL template without spaces");
  }
  for (const [prop, text] of templates(props)) {
    if (!isUnresolved(text) && text.includes("$${")) {
      check.problem(
        prop,
        text,
        "Velocity written as Genesys shows it (${...})",
        "the construct escapes ${ for Terraform",
      );
    }
  }
  const translated = Object.keys(props.response?.translationMap ?? {});
  for (const key of Object.keys(props.response?.translationMapDefaults ?? {})) {
    if (!translated.includes(key)) {
      check.problem(
        `response.translationMapDefaults.${key}`,
        key,
        `a key of response.translationMap (${translated.join(", ") || "empty"})`,
      );
    }
  }

  checkContract(check, "contractInput", props.contractInput);
  checkContract(check, "contractOutput", props.contractOutput);
  if (props.credential) checkCredential(check, props.name, props.credential);
}

/** Every template prop with its value, for the checks that apply to all of them. */
function templates(props: DataActionProps): [string, string][] {
  const { request, response } = props;
  const entries: [string, string | undefined][] = [
    ["request.urlTemplate", request.urlTemplate],
    ["request.bodyTemplate", request.bodyTemplate],
    ["response.successTemplate", response?.successTemplate],
    ...Object.entries(request.headers ?? {}).map(([k, v]): [string, string] => [`request.headers.${k}`, v]),
    ...Object.entries(response?.translationMap ?? {}).map(([k, v]): [string, string] => [
      `response.translationMap.${k}`,
      v,
    ]),
  ];
  return entries.filter((entry): entry is [string, string] => typeof entry[1] === "string");
}

/**
 * Compiles a contract with ajv (strict: unknown keywords are errors) and checks that its root is an object, as
 * Genesys requires. Contracts often name draft-04 in `$schema`; ajv checks them against its default draft, which
 * reads the keywords contracts use the same way.
 */
function checkContract(check: PropsChecker, prop: string, contract: JsonSchema): void {
  if (typeof contract !== "object" || contract === null || Array.isArray(contract)) {
    check.problem(prop, contract, "a JSON Schema object");
    return;
  }
  if (contract.type !== "object") {
    check.problem(`${prop}.type`, contract.type, '"object"', "Genesys contracts describe a JSON object");
  }
  const schema: Record<string, unknown> = { ...contract };
  delete schema.$schema;
  const ajv = contractValidator();
  if (!ajv.validateSchema(schema)) {
    for (const error of ajv.errors ?? []) {
      const at = `${prop}${error.instancePath.replaceAll("/", ".")}`;
      check.problem(
        at,
        valueAt(schema, error.instancePath),
        "valid JSON Schema",
        `ajv: ${error.message ?? error.keyword}`,
      );
    }
    return;
  }
  try {
    ajv.compile(schema);
  } catch (error) {
    check.problem(prop, "(schema)", "a JSON Schema ajv can compile", `ajv: ${(error as Error).message}`);
  } finally {
    ajv.removeSchema(schema); // no cache across contracts: two may carry the same $id
  }
}

let sharedValidator: Ajv | undefined;

/** One ajv instance for every contract of the app (creating one compiles its meta-schemas: tens of ms). */
function contractValidator(): Ajv {
  sharedValidator ??= new Ajv({
    allErrors: true,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    validateFormats: false,
  });
  return sharedValidator;
}

/** The value at a JSON Pointer (`/properties/id/type`) inside a schema, for error messages. */
function valueAt(root: unknown, pointer: string): unknown {
  let node = root;
  for (const part of pointer.split("/").slice(1)) {
    const key = part.replaceAll("~1", "/").replaceAll("~0", "~");
    node = node !== null && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/** Credential problems: unknown type, missing required fields, secrets given as literal text. */
function checkCredential(check: PropsChecker, actionName: string, credential: DataActionCredential): void {
  check.oneOf("credential.type", credential.type, CREDENTIAL_TYPES);
  const known = CREDENTIAL_FIELDS[credential.type];
  if (!known) return;
  const plain = credential.fields ?? {};
  const secret = secretFieldsOf(credential);

  const variableName = (field: string) =>
    `TF_VAR_${dataActionSecretVariableName(isUnresolved(actionName) ? "<name>" : actionName, field)}`;
  for (const [field, value] of Object.entries(plain)) {
    if (secret.includes(field)) {
      check.note(
        `credential.fields.${field} must be left out: it is a secret field, filled from a sensitive variable ` +
          `(set ${variableName(field)} at apply time, or pass it in credential.secrets)`,
      );
    } else if (SECRET_LOOKING_FIELD.test(field) && !Token.isUnresolved(value)) {
      check.note(
        `credential.fields.${field} looks secret and must not be literal text (value not shown): list "${field}" ` +
          `in credential.secretFields and set ${variableName(field)} at apply time, or pass a TerraformVariable ` +
          `in credential.secrets`,
      );
    }
  }
  for (const [field, value] of Object.entries(credential.secrets ?? {})) {
    if (!(value instanceof TerraformVariable) && !Token.isUnresolved(value)) {
      check.note(
        `credential.secrets.${field} must be a TerraformVariable or a token, got literal text (value not shown): ` +
          `leave it out and set ${variableName(field)} at apply time`,
      );
    }
  }
  for (const field of known.required) {
    if (!(field in plain) && !secret.includes(field)) {
      check.problem(`credential.fields.${field}`, undefined, `set for a ${credential.type} credential`);
    }
  }
  const generated = secret.filter((field) => credential.secrets?.[field] === undefined);
  if (generated.length > 0 && isUnresolved(actionName)) {
    check.problem(
      "name",
      actionName,
      "literal text when the construct declares secret variables",
      `their names derive from it; or pass ${generated.join(", ")} in credential.secrets`,
    );
  }
}

/** The secret fields of a credential: the listed (or the type's default) ones plus those given in `secrets`. */
function secretFieldsOf(credential: DataActionCredential): string[] {
  const listed = credential.secretFields ?? CREDENTIAL_FIELDS[credential.type]?.secret ?? [];
  return [...new Set([...listed, ...Object.keys(credential.secrets ?? {})])];
}

/**
 * Escapes `${` and `%{` in literal text, so Terraform passes Velocity through instead of reading it as its own
 * interpolation. cdktf's token markers (`${TfToken[...]}`) are left as they are.
 */
function escapeForTerraform(text: string): string {
  return text.replace(/\$\{(?!TfToken\[)/g, () => "$${").replace(/%\{/g, () => "%%{");
}

function escapeValues(map: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([key, value]) => [key, escapeForTerraform(value)]));
}

function optional<T, R>(value: T | undefined, map: (value: T) => R): R | undefined {
  return value === undefined ? undefined : map(value);
}

function snakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

function pascalCase(text: string): string {
  return snakeCase(text)
    .split("_")
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join("");
}
