/**
 * The cdktf app: one stack per environment file (`environments/<name>.yaml` → stack `gc-<name>`), nothing else.
 * Every environment is validated and planned before any stack is built, so bad parameters and infeasible plans
 * stop the synth before anything is written, with one line per problem and no stack trace; so do props a construct
 * refuses. An unexpected error is one line too, unless GENESYS_DEBUG=1 asks for its stack trace.
 */
import { planEnvironmentsForSynth } from "./config/plan";
import { addEnvironmentStacks, environmentStackNames, shardGroupProblems } from "./stacks/environment-stacks";
import { gatewayVerdict } from "./stacks/gateway";
import { newApp } from "./stacks/app";
import { debugRequested, stackErrorLines, unexpectedErrorLine } from "./stacks/synth-errors";

function main(): void {
  // GENESYS_ENVIRONMENTS_DIR lets a test (or a fork with its own parameters) synthesize other files. Warnings
  // and infeasible plans accepted by capacity.acceptInfeasible are printed; bad or infeasible plans stop synth.
  const planned = planEnvironmentsForSynth(process.env);
  const { environments } = planned;
  // With GENESYSCLOUD_GATEWAY_HOST set (the emulator's address), the stacks deploy through the provider's gateway
  // block: synth says so for each stack, and refuses a stack with remote state unless it is named in
  // GENESYS_ALLOW_GATEWAY_ON_REMOTE_BACKEND (stacks/gateway.ts).
  const gateway = gatewayVerdict(
    process.env,
    environments.flatMap(({ environment, plan }) =>
      environmentStackNames(environment, plan).map((stack) => ({ stack, backend: environment.backend.type })),
    ),
  );
  const notices = [...planned.notices, ...gateway.notices];
  const problems = [
    ...planned.problems,
    ...environments.flatMap(({ environment, plan, label }) => shardGroupProblems(environment, plan, label)),
    ...gateway.problems,
  ];
  if (notices.length > 0) console.error(notices.join("\n"));
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    process.exit(1);
  }

  const { localGateway } = gateway;
  const app = newApp(process.env);
  const refused: string[] = [];
  for (const { environment, plan, label } of environments) {
    const stack = environmentStackNames(environment, plan)[0];
    try {
      // One stack, or the base stack and its shard groups (README "Shard groups").
      addEnvironmentStacks(app, { environment, plan, localGateway });
    } catch (e) {
      const lines = stackErrorLines(e, environment, label, stack);
      if (lines === undefined) throw e;
      refused.push(...lines);
    }
  }
  if (refused.length > 0) {
    console.error(refused.join("\n"));
    process.exit(1);
  }
  app.synth();
}

try {
  main();
} catch (e) {
  if (debugRequested(process.env)) throw e;
  console.error(unexpectedErrorLine(e));
  process.exit(1);
}
