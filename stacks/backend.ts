import { CloudBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformStack } from "cdktf";
import type { EnvironmentConfig } from "../config/environment";
import { defaultLocalStatePath } from "../genesys";

/**
 * Gives a stack the state backend its environment file asks for: local state for a developer's org, S3 with
 * locking or HCP Terraform for shared environments. A local path defaults to `terraform.<stack>.tfstate` in
 * the project root, never inside `cdktf.out/`, so re-synthesizing cannot lose state.
 */
export function configureBackend(stack: TerraformStack, backend: EnvironmentConfig["backend"]): void {
  const stackName = stack.node.id;
  switch (backend.type) {
    case "local":
      new LocalBackend(stack, { path: backend.path ?? defaultLocalStatePath(stackName) });
      return;
    case "s3":
      new S3Backend(stack, {
        bucket: backend.bucket,
        key: backend.key,
        region: backend.region,
        encrypt: true,
        dynamodbTable: backend.dynamodbTable,
      });
      // cdktf 0.21's S3Backend predates S3-native locking (Terraform >= 1.10): set it through the escape hatch.
      if (backend.useLockfile) stack.addOverride("terraform.backend.s3.use_lockfile", true);
      return;
    case "cloud":
      new CloudBackend(stack, {
        organization: backend.organization,
        hostname: backend.hostname,
        workspaces: new NamedCloudWorkspace(backend.workspace),
      });
      return;
  }
}
