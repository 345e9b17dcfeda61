#!/usr/bin/env bash
# Rebuilds the committed schema snapshot from the real provider binary:
#   terraform providers schema -json  →  provider/schema/genesyscloud-<version>.json.gz
# then regenerates .gen/. Needs the provider (scripts/provider-install.sh installs it) and Terraform.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/provider-install.sh
export TF_CLI_CONFIG_FILE="$PWD/.provider/terraformrc" CHECKPOINT_DISABLE=1
version=$(node -p 'require("./provider/genesyscloud.json").version')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/main.tf.json" <<JSON
{
  "terraform": { "required_providers": { "genesyscloud": { "source": "mypurecloud/genesyscloud", "version": "$version" } } },
  "provider": { "genesyscloud": {} }
}
JSON
(cd "$work" && terraform init -input=false -no-color >/dev/null && terraform providers schema -json >schema.json)
mkdir -p provider/schema
node -e '
  const fs = require("fs"), zlib = require("zlib");
  const [file, out, version] = process.argv.slice(1);
  const schema = JSON.parse(fs.readFileSync(file, "utf8"));
  schema.provider_versions = { "registry.terraform.io/mypurecloud/genesyscloud": version };
  fs.writeFileSync(out, zlib.gzipSync(JSON.stringify(schema), { level: 9 }));
' "$work/schema.json" "provider/schema/genesyscloud-$version.json.gz" "$version"
echo "provider-refresh: wrote provider/schema/genesyscloud-$version.json.gz"
npx tsx scripts/generate-bindings.ts
