/**
 * Shards as a deploy leaves them in the emulator, created through its Platform API: per shard a queue, an inbound
 * message flow that transfers to it (published through a flow job, as `genesyscloud_flow` does) and a web
 * deployment that uses the flow. And guests that hold a conversation on a deployment.
 */
import { randomUUID } from "node:crypto";
import { guestUrl, RawGuest } from "../rehearsal/fixtures";
import { inboundMessageFlow, type Answer } from "./helpers";

type Call = (method: string, path: string, body?: unknown) => Promise<Answer>;

export interface RoutedShard {
  readonly index: number;
  readonly queueId: string;
  readonly queueName: string;
  readonly flowId: string;
  readonly deploymentId: string;
}

function ok(answer: Answer, what: string): Answer {
  if (answer.status !== 200) throw new Error(`${what}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

/** Creates `count` shards (queue, flow transferring to it, deployment on the flow) sharing one configuration. */
export async function createRoutedShards(
  call: Call,
  count: number,
  prefix = "Watch",
): Promise<RoutedShard[]> {
  const configuration = ok(
    await call("POST", "/api/v2/webdeployments/configurations", {
      name: `${prefix} messenger`,
      languages: ["en-us"],
      defaultLanguage: "en-us",
    }),
    "configuration",
  );
  const published = ok(
    await call(
      "POST",
      `/api/v2/webdeployments/configurations/${configuration.body.id}/versions/draft/publish`,
    ),
    "publish",
  );
  const shards: RoutedShard[] = [];
  for (let index = 0; index < count; index += 1) {
    const number = String(index).padStart(3, "0");
    const queueName = `${prefix} Messaging ${number}`;
    const queue = ok(await call("POST", "/api/v2/routing/queues", { name: queueName }), "queue");
    const job = ok(await call("POST", "/api/v2/flows/jobs"), "flow job");
    const upload = await fetch(job.body.presignedUrl, {
      method: "PUT",
      headers: job.body.headers,
      body: inboundMessageFlow({ name: `${prefix} Inbound ${number}`, queue: queueName }),
    });
    if (upload.status !== 200) throw new Error(`flow upload: ${upload.status}`);
    const done = ok(await call("GET", `/api/v2/flows/jobs/${job.body.id}?expand=messages`), "flow job");
    if (done.body.status !== "Success") throw new Error(`flow publish: ${JSON.stringify(done.body)}`);
    const deployment = ok(
      await call("POST", "/api/v2/webdeployments/deployments", {
        name: `${prefix} Messenger ${number}`,
        allowAllDomains: true,
        configuration: { id: configuration.body.id, version: published.body.version },
        flow: { id: done.body.flow.id },
      }),
      "deployment",
    );
    shards.push({
      index,
      queueId: queue.body.id,
      queueName,
      flowId: done.body.flow.id,
      deploymentId: deployment.body.id,
    });
  }
  return shards;
}

/**
 * Guests that each open a session on `deploymentId` of the emulator at `url` (its HTTP base URL) and, unless
 * `message` is false, send one message (which starts the conversation) and wait for its echo.
 */
export async function openGuests(
  url: string,
  deploymentId: string,
  count: number,
  message = true,
): Promise<RawGuest[]> {
  const guests: RawGuest[] = [];
  for (let i = 0; i < count; i += 1) {
    const guest = await RawGuest.connect(guestUrl(url), deploymentId);
    guests.push(guest);
    const token = randomUUID();
    guest.send({ action: "configureSession", deploymentId, token });
    await guest.next();
    if (message) {
      guest.send({ action: "onMessage", token, message: { type: "Text", text: "hello" } });
      await guest.next();
    }
  }
  return guests;
}

/** Closes every guest (ignores those already closed). */
export async function closeGuests(guests: readonly RawGuest[]): Promise<void> {
  await Promise.all(guests.map((guest) => guest.close().catch(() => undefined)));
}
