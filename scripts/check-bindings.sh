#!/usr/bin/env bash
# Proves the committed schema snapshot is the real thing: the bindings generated from it (.gen/, by
# scripts/generate-bindings.ts) must equal, file for file, what `cdktf get` produces through the provider mirror
# for the same types. Needs the mirror (scripts/provider-install.sh) and TF_CLI_CONFIG_FILE pointing at it.
set -euo pipefail
cd "$(dirname "$0")/.."
# The mirror's CLI config, whatever TF_CLI_CONFIG_FILE says: cdktf get must not try the registry.
export TF_CLI_CONFIG_FILE="$PWD/.provider/terraformrc"
[ -f "$TF_CLI_CONFIG_FILE" ] || { echo "check-bindings: run scripts/provider-install.sh first" >&2; exit 1; }
version=$(node -p 'require("./provider/genesyscloud.json").version')
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/cdktf.json" <<JSON
{ "language": "typescript", "app": "true", "codeMakerOutput": ".gen",
  "terraformProviders": ["mypurecloud/genesyscloud@$version"] }
JSON
ln -s "$PWD/node_modules" "$work/node_modules"
(cd "$work" && CHECKPOINT_DISABLE=1 DISABLE_VERSION_CHECK=1 npx cdktf get --force >/dev/null)
status=0
for type in $(node -p 'require("./provider/genesyscloud.json").resources.concat(require("./provider/genesyscloud.json").dataSources.map((d) => "data_" + d)).join(" ")'); do
  dir=$(echo "${type#data_genesyscloud_}" | sed 's/^genesyscloud_//; s/_/-/g')
  [[ "$type" == data_* ]] && dir="data-genesyscloud-$dir"
  if ! diff -q ".gen/providers/genesyscloud/$dir/index.ts" "$work/.gen/providers/genesyscloud/$dir/index.ts" >/dev/null; then
    echo "check-bindings: $type differs between the snapshot's bindings and cdktf get" >&2
    status=1
  fi
done
if ! diff -q .gen/providers/genesyscloud/provider/index.ts "$work/.gen/providers/genesyscloud/provider/index.ts" >/dev/null; then
  echo "check-bindings: the provider configuration class differs between the snapshot's bindings and cdktf get" >&2
  status=1
fi
[ "$status" -eq 0 ] && echo "check-bindings: the snapshot's bindings match cdktf get for every listed type"
exit "$status"
