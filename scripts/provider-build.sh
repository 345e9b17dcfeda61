#!/usr/bin/env bash
# Builds the real mypurecloud/genesyscloud Terraform provider from its Go module, at exactly the version that
# provider/genesyscloud.json pins, and lays it out as a Terraform filesystem mirror inside the project (.provider/, git-ignored).
# Writes .provider/terraformrc, a Terraform CLI config that installs the provider from that mirror and nothing
# else from the network: point TF_CLI_CONFIG_FILE at it (the npm scripts and .ci/run do).
#
# Reuses an existing build of the same version. Users who can reach the Terraform registry don't need this:
# `terraform init` downloads the published provider.
set -euo pipefail
cd "$(dirname "$0")/.."

version=$(node -p 'require("./provider/genesyscloud.json").version')
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "provider-build: provider/genesyscloud.json must pin mypurecloud/genesyscloud to an exact version, got '$version'" >&2
  exit 2
fi
module=github.com/mypurecloud/terraform-provider-genesyscloud
platform="$(go env GOOS)_$(go env GOARCH)"
root="$PWD/.provider"
mirror="$root/mirror"
target="$mirror/registry.terraform.io/mypurecloud/genesyscloud/$version/$platform/terraform-provider-genesyscloud_v$version"

if [ -x "$target" ]; then
  echo "provider-build: reusing $target"
else
  echo "provider-build: go install $module@v$version (first build takes several minutes)"
  mkdir -p "$root/bin" "$(dirname "$target")"
  if ! GOBIN="$root/bin" go install -ldflags "-s -w -X main.version=$version" "$module@v$version" 2>"$root/build.log"; then
    echo "provider-build: could not build $module@v$version:" >&2
    sed 's/^/  /' "$root/build.log" >&2
    exit 1
  fi
  cp "$root/bin/terraform-provider-genesyscloud" "$target"
fi

cat >"$root/terraformrc" <<RC
# Written by scripts/provider-build.sh: the genesyscloud provider comes from the local mirror, offline.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/mypurecloud/genesyscloud"]
  }
  direct {
    exclude = ["registry.terraform.io/mypurecloud/genesyscloud"]
  }
}
RC
echo "provider-build: mirror ready; export TF_CLI_CONFIG_FILE=$root/terraformrc"
