/**
 * The cdktf app: one stack per environment file (`environments/<name>.yaml` → stack `gc-<name>`), nothing else.
 * Every environment is validated and planned before any stack is built, so bad parameters and infeasible plans
 * stop the synth before anything is written, with one line per problem and no stack trace.
 */
import { planEnvironmentsForSynth } from "./config/plan";
import { GenesysEnvironmentStack } from "./stacks/genesys-environment-stack";
import { stackName } from "./stacks/names";
import { newApp } from "./stacks/app";

function main(): void {
  // GENESYS_ENVIRONMENTS_DIR lets a test (or a fork with its own parameters) synthesize other files. Warnings
  // and infeasible plans accepted by capacity.acceptInfeasible are printed; bad or infeasible plans stop synth.
  const { environments, problems, notices } = planEnvironmentsForSynth(process.env);
  if (notices.length > 0) console.error(notices.join("\n"));
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    process.exit(1);
  }

  // With GENESYSCLOUD_GATEWAY_HOST set (the emulator's address), the stacks deploy through the provider's gateway
  // block; the provider reads the host, port and protocol from the same variables when it runs.
  const localGateway = Boolean(process.env.GENESYSCLOUD_GATEWAY_HOST);
  const app = newApp(process.env);
  for (const { environment, plan } of environments) {
    new GenesysEnvironmentStack(app, stackName(environment.name), {
      environment,
      plan,
      localGateway,
    });
  }
  app.synth();
}

main();
