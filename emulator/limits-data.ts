/**
 * The limits the emulator's organization Limits API serves by default: namespace, key, default value,
 * description and the `configurable` flag, as `GET /api/v2/organizations/limits/docs` documents them.
 *
 * Values come from the team's researched limits (Genesys's Limits docs, its blueprints and help centre, forum
 * threads). Where no source publishes a value (marked "emulator value"), the number is a plausible placeholder so
 * that clients have something to read; tests override it.
 */

export interface SeedLimit {
  readonly key: string;
  readonly defaultValue: number;
  readonly description: string;
  readonly resource: string;
  readonly configurable: boolean;
  readonly trackable: boolean;
}

export interface SeedNamespace {
  readonly name: string;
  readonly friendlyName: string;
  readonly limits: readonly SeedLimit[];
}

function limit(
  key: string,
  defaultValue: number,
  description: string,
  options: { resource?: string; configurable?: boolean; trackable?: boolean } = {},
): SeedLimit {
  return {
    key,
    defaultValue,
    description,
    resource: options.resource ?? "",
    configurable: options.configurable ?? false,
    trackable: options.trackable ?? false,
  };
}

export const SEED_NAMESPACES: readonly SeedNamespace[] = [
  {
    name: "web.messaging",
    friendlyName: "Web Messaging",
    limits: [
      limit("connections.rate.per.minute", 1000, "New WebSocket connections per deployment per minute", {
        resource: "deployment",
        configurable: true,
      }),
      limit(
        "configure.per.session.rate.per.minute",
        60,
        "Configure-session requests per session per minute",
        {
          resource: "session",
        },
      ),
      limit("messages.per.session.rate.per.second", 2, "Inbound messages per session per second", {
        resource: "session",
      }),
      limit("requests.per.connection.rate.per.minute", 60, "Requests per connection per minute", {
        resource: "connection",
      }),
      limit("session.connections.max", 3, "Simultaneous connections per session", { resource: "session" }),
    ],
  },
  {
    name: "web.deployments",
    friendlyName: "Web Deployments",
    limits: [
      // Emulator values: the keys are known, the values are not published.
      limit("deployments.max", 100, "Web deployments per organization", {
        configurable: true,
        trackable: true,
      }),
      limit("configuration.max", 100, "Web deployment configurations per organization", {
        configurable: true,
        trackable: true,
      }),
    ],
  },
  {
    name: "dataactions",
    friendlyName: "Data Actions",
    limits: [
      limit("actions.concurrent.executions.max", 50, "Concurrent data action executions per organization", {
        configurable: true,
      }),
      limit("requests.volume.max", 2500, "Data action executions per minute per organization", {
        configurable: true,
      }),
      limit("actions.total.max", 500, "Data actions per organization", {
        configurable: true,
        trackable: true,
      }),
      // Emulator value.
      limit("actions.integration.max", 200, "Data actions per integration", { configurable: true }),
    ],
  },
  {
    name: "routing",
    friendlyName: "Routing",
    limits: [limit("queues.max", 5000, "Queues per organization", { trackable: true })],
  },
  {
    name: "platform.api",
    friendlyName: "Platform API",
    limits: [
      limit(
        "client.credentials.token.rate.per.minute",
        300,
        "Requests per client-credentials token per minute",
        {
          configurable: true,
        },
      ),
      limit(
        "org.app.user.rate.per.minute",
        3000,
        "Requests per organization, OAuth client and user per minute",
      ),
      limit("token.rate.per.minute", 300, "Requests per token per minute"),
      limit("request.bytes.max", 512000, "Request body size in bytes"),
    ],
  },
];
