/**
 * The props of an acknowledge-only Data Action: the async pattern for anything a flow writes to a slow system.
 */
import type { DataActionCredential, DataActionProps, JsonSchema } from "./data-action";
import type { DestroyProtectionProps } from "./protection";

/** The input an acknowledge-only action takes when none is named: the conversation id, nothing personal. */
export const DEFAULT_ACKNOWLEDGE_INPUT = "conversationId";

/** What an acknowledge-only action is built from. */
export interface AcknowledgeDataActionOptions extends DestroyProtectionProps {
  /**
   * Action name, as flows call it.
   */
  readonly name: string;
  /**
   * The endpoint that acknowledges: answers 2xx (202 Accepted) at once and does the work in the background.
   */
  readonly endpoint: string;
  /**
   * HTTP method the correlation ids are sent with.
   * @default "POST"
   */
  readonly method?: "POST" | "PUT" | "PATCH";
  /**
   * The input-contract property that carries the correlation id (the flow fills it with the conversation id).
   * @default DEFAULT_ACKNOWLEDGE_INPUT ("conversationId")
   */
  readonly input?: string;
  /**
   * Execution timeout in seconds, 1–10.
   * @default DEFAULT_ACKNOWLEDGE_TIMEOUT_SECONDS (3)
   */
  readonly timeoutSeconds?: number;
  /**
   * Category the action is listed under.
   * @default - the integration name
   */
  readonly category?: string;
  /**
   * Name of the integration created for the action.
   * @default - the action name
   */
  readonly integrationName?: string;
  /**
   * Headers sent with every request.
   * @default - `Content-Type: application/json` only
   */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Credential the integration calls the endpoint with.
   * @default - no credential
   */
  readonly credential?: DataActionCredential;
}

/**
 * The props of a {@link DataAction} with `pattern: "acknowledge"`: it sends one correlation id as a minimal JSON
 * body (`{"conversationId":"…"}`, nothing personal), expects a 2xx with no content the flow reads (an empty output
 * contract; the reply is discarded by a `{}` success template), and times out after a few seconds. Genesys treats
 * every 2xx as success, so a 202 Accepted is one; anything else, or no answer within the timeout, takes the flow's
 * failure or timeout path, which still routes the call.
 *
 * Use it for everything a call flow writes to a ticketing system or CRM: the endpoint queues the work and answers at
 * once, so a slow ServiceNow holds no caller and no slot of the org's concurrent Data Action executions.
 */
export function acknowledgeDataActionProps(options: AcknowledgeDataActionOptions): DataActionProps {
  const input = options.input ?? DEFAULT_ACKNOWLEDGE_INPUT;
  const contractInput: JsonSchema = {
    type: "object",
    properties: { [input]: { type: "string" } },
    required: [input],
    additionalProperties: false,
  };
  return {
    name: options.name,
    category: options.category,
    integrationName: options.integrationName,
    pattern: "acknowledge",
    timeoutSeconds: options.timeoutSeconds,
    request: {
      method: options.method ?? "POST",
      urlTemplate: options.endpoint,
      headers: { "Content-Type": "application/json", ...options.headers },
      bodyTemplate: `{"${input}": "\${input.${input}}"}`,
    },
    response: { successTemplate: "{}" },
    contractInput,
    contractOutput: { type: "object", properties: {}, additionalProperties: false },
    credential: options.credential,
    protectFromDestroy: options.protectFromDestroy,
  };
}
