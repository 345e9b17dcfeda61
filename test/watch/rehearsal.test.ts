/**
 * `watch --once --json` in the middle of a rehearsal: the emulator in-process on 127.0.0.1, three shards (queue,
 * flow transferring to it, deployment on the flow) created through its API, the rehearsal driver holding ten
 * sessions spread 6 / 3 / 1 by the shard map, and watch reporting each shard's sessions on its own queue.
 */
import { EXIT, main } from "../../cli/watch";
import type { Emulator } from "../../emulator/server";
import { runRehearsal, type RehearsalProgress, type RehearsalResult } from "../../rehearsal/run";
import { startWithClient } from "../emulator/helpers";
import { createRoutedShards } from "../emulator/routed-shards";
import { guestUrl } from "../rehearsal/fixtures";
import { scratchDir } from "../scratch";
import { captureIo, emulatorEnv, writeEnvironment, writeShardMap } from "./fixtures";

const ENVIRONMENT = "watchrehearsal";
const PLANNED = [6, 3, 1];

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function watchOnce(shardMap: string, dir: string) {
  const io = captureIo();
  const code = await main(
    [ENVIRONMENT, "--once", "--json", "--shard-map", shardMap],
    io,
    emulatorEnv(emulator!, dir),
  );
  return { code, err: io.err, snapshot: io.out === "" ? undefined : JSON.parse(io.out) };
}

it("reports the sessions a rehearsal holds on the shards that hold them, and none once it ends", async () => {
  const dir = scratchDir("watch-rehearsal-");
  writeEnvironment(dir, ENVIRONMENT, { sessionsPerShard: 10, headroom: 0.8, targetConcurrentSessions: 10 });
  const started = await startWithClient();
  emulator = started.emulator;
  const shards = await createRoutedShards(started.call, 3);
  const shardMap = writeShardMap(dir, ENVIRONMENT, shards, PLANNED);

  let during: Promise<Awaited<ReturnType<typeof watchOnce>>> | undefined;
  let holdSeenAtMs: number | undefined;
  const result: RehearsalResult = await runRehearsal({
    url: guestUrl(emulator.url),
    shards: shards.map((shard, position) => ({
      index: shard.index,
      deploymentId: shard.deploymentId,
      plannedSessions: PLANNED[position],
    })),
    sessions: 10,
    rampPerMinute: 6000, // 10 sessions in 0.1 s
    holdSeconds: 4, // long enough for a snapshot in the middle of the hold
    progressIntervalMs: 50,
    onProgress: (progress: RehearsalProgress) => {
      if (progress.phase !== "hold" || during !== undefined) return;
      // Half a second into the hold, every guest's message (sent on connecting) has long reached the emulator.
      holdSeenAtMs ??= progress.elapsedMs;
      if (progress.elapsedMs - holdSeenAtMs >= 500) during = watchOnce(shardMap, dir);
    },
  });
  expect(during).toBeDefined();
  const { code, err, snapshot } = await during!;

  expect(result.totals).toMatchObject({ connected: 10, refused: 0, failed: 0, echoed: 10 });
  expect(err).toBe("");
  expect(code).toBe(EXIT.ok);
  expect(
    snapshot.shards.map((line: { index: number; queueId: string; live: number }) => [
      line.index,
      line.queueId,
      line.live,
    ]),
  ).toEqual(shards.map((shard, position) => [shard.index, shard.queueId, PLANNED[position]]));
  // The rehearsal's own count per shard agrees.
  expect(result.shards.map((shard) => shard.connected)).toEqual(PLANNED);
  expect(snapshot.shards.every((line: { waiting: number; live: number }) => line.waiting === line.live)).toBe(
    true,
  );
  expect(snapshot.total).toMatchObject({ live: 10, planned: 10, state: "ok" });
  expect(snapshot.limitCounts.counts).toContainEqual(
    expect.objectContaining({ name: "emulator.connections.concurrent.per.org.max", estimatedCount: 10 }),
  );

  const after = await watchOnce(shardMap, dir);
  expect(after.code).toBe(EXIT.ok);
  expect(after.snapshot.total.live).toBe(0);
}, 60_000);
