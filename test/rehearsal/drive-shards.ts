/**
 * A child process of the merge test: one "machine" that drives only some shards of a shard map and writes its
 * `--out` folder as `rehearse --out` does (the same driver, recorder, builder and writer), with the whole map's
 * identity, so that two of them on disjoint shards merge. It stands in for `rehearse --shards <ranges> --out <dir>`
 * until that flag lands in cli/rehearse.ts.
 *
 *   tsx test/rehearsal/drive-shards.ts <environment file> <shard map> <ws url> <first>-<last> <out> <time scale>
 *
 * The whole test is the map's sessions at the environment's peak arrivals, held 30 model seconds; the driver runs
 * only this machine's shards of it (`RehearsalOptions.only`), each with its share and ramp. Exit 0 when nothing
 * was refused or failed, 3 otherwise.
 */
import { hostname } from "node:os";
import { loadEnvironment } from "../../config/environment";
import { planEnvironment } from "../../config/plan";
import { writeResultsAndReport } from "../../rehearsal/report-html";
import { SeriesRecorder, buildResults, prepareOutDir } from "../../rehearsal/results";
import { runRehearsal } from "../../rehearsal/run";
import { deployedShards, loadShardMapFile } from "../../shard-map";

async function drive(argv: readonly string[]): Promise<number> {
  const [environmentFile, shardMapFile, url, range, out, scale] = argv;
  const [first, last] = range.split("-").map(Number);
  const environment = loadEnvironment(environmentFile);
  const plan = planEnvironment(environment, environmentFile);
  const map = loadShardMapFile(shardMapFile);
  const shards = deployedShards(map, shardMapFile).map((shard) => ({
    index: shard.index,
    deploymentId: shard.deploymentId,
    sessions: shard.sessions,
  }));
  const only = shards.map((shard) => shard.index).filter((index) => index >= first && index <= last);
  const sessions = shards.reduce((sum, shard) => sum + shard.sessions, 0);
  const rampPerMinute = environment.capacity.peakArrivalsPerMinute ?? 60;
  const timeScale = Number(scale);
  const recorder = new SeriesRecorder(only);
  const startedAt = new Date();
  const result = await runRehearsal({
    url,
    shards: shards.map((shard) => ({ ...shard, plannedSessions: shard.sessions })),
    only,
    sessions,
    rampPerMinute,
    holdSeconds: 30,
    timeScale,
    recorder,
  });
  const results = buildResults({
    environment: environment.name,
    url,
    sessions,
    rampPerMinute,
    holdSeconds: 30,
    timeScale,
    singleDeployment: false,
    loseShard: undefined,
    shardMapFile,
    shardMap: map,
    plan,
    shards,
    only,
    host: hostname(),
    startedAt,
    result,
    recorder,
  });
  writeResultsAndReport(prepareOutDir(out), results);
  return result.totals.refused + result.totals.failed === 0 && !result.aborted ? 0 : 3;
}

void drive(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
