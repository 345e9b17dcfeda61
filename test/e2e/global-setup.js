// Jest globalSetup of the e2e suites: the real provider must be installed (scripts/provider-install.sh, once per
// run; it reuses .provider/ when the pinned version is already there) and `terraform` must be on the PATH.
const { spawnSync } = require("node:child_process");
const { resolve } = require("node:path");

module.exports = async function globalSetup(globalConfig) {
  const root = globalConfig.rootDir;
  const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
  if (terraform.error || terraform.status !== 0) {
    throw new Error(
      "e2e: the terraform CLI is not on the PATH (install Terraform >= 1.5 to run the end-to-end suites)",
    );
  }
  const install = spawnSync("bash", [resolve(root, "scripts/provider-install.sh")], {
    cwd: root,
    encoding: "utf8",
  });
  if (install.status !== 0) {
    throw new Error(
      `e2e: scripts/provider-install.sh could not install the genesyscloud provider (exit ${install.status}):\n` +
        `${install.stdout}${install.stderr}`,
    );
  }
};
