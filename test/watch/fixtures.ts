/**
 * What the watch tests share: an environment file made from dev's with other capacity numbers, a shard map file
 * of routed shards, the variables that point watch at an emulator, and an io that keeps what watch writes.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import type { Emulator } from "../../emulator/server";
import type { RoutedShard } from "../emulator/routed-shards";
import { CLIENT } from "../emulator/helpers";

const DEV = join(__dirname, "..", "..", "environments", "dev.yaml");

/** Writes `<dir>/<name>.yaml`: dev's environment with `name` and these capacity numbers. */
export function writeEnvironment(
  dir: string,
  name: string,
  capacity: { sessionsPerShard: number; headroom: number; targetConcurrentSessions: number },
): void {
  const environment = parse(readFileSync(DEV, "utf8"));
  environment.name = name;
  environment.capacity = { ...environment.capacity, ...capacity };
  writeFileSync(join(dir, `${name}.yaml`), stringify(environment));
}

/** Writes a shard map file of `shards` (source state) with the given planned sessions; returns its path. */
export function writeShardMap(
  dir: string,
  environment: string,
  shards: readonly RoutedShard[],
  sessions: readonly number[],
  file = `${environment}.shard-map.json`,
): string {
  const path = join(dir, file);
  const map = {
    environment,
    source: "state",
    shards: shards.map((shard, position) => ({
      index: shard.index,
      deploymentId: shard.deploymentId,
      queueId: shard.queueId,
      flowId: shard.flowId,
      sessions: sessions[position],
      arrivalsPerMinute: null,
    })),
  };
  writeFileSync(path, JSON.stringify(map));
  return path;
}

/** The variables that point watch at `emulator` with the test client, and at the environments in `dir`. */
export function emulatorEnv(emulator: { port: number } | Emulator, dir: string): Record<string, string> {
  return {
    GENESYSCLOUD_OAUTHCLIENT_ID: CLIENT.clientId,
    GENESYSCLOUD_OAUTHCLIENT_SECRET: CLIENT.clientSecret,
    GENESYSCLOUD_GATEWAY_HOST: "127.0.0.1",
    GENESYSCLOUD_GATEWAY_PORT: String(emulator.port),
    GENESYSCLOUD_GATEWAY_PROTOCOL: "http",
    GENESYS_ENVIRONMENTS_DIR: dir,
  };
}

/** An io that keeps what is written; `isTTY` as given. */
export function captureIo(isTTY = false) {
  const io = {
    out: "",
    err: "",
    stdout: { isTTY, write: (text: string) => ((io.out += text), true) },
    stderr: { write: (text: string) => ((io.err += text), true) },
  };
  return io;
}
