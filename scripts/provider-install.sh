#!/usr/bin/env bash
# Installs the real mypurecloud/genesyscloud Terraform provider, at exactly the version provider/genesyscloud.json
# pins, into .provider/ (git-ignored) as a Terraform filesystem mirror, and writes .provider/terraformrc: a
# Terraform CLI config that installs that provider from the mirror and nothing else from the network.
# Point TF_CLI_CONFIG_FILE at it (the npm scripts and .ci/run do).
#
# Where the provider comes from, first match wins:
#   1. .provider/ already holds the pinned version (its checksum still matches): reused.
#   2. $GENESYSCLOUD_PROVIDER_MIRROR: a filesystem mirror in the packed layout (the release zip under
#      registry.terraform.io/mypurecloud/genesyscloud/), with a SHA256SUMS file in it or in its parent folder.
#   3. ../shared/genesyscloud-provider/mirror, when it exists (the team's shared copy, built from the public tag).
#   4. go install github.com/mypurecloud/terraform-provider-genesyscloud@v<version>, for users whose Go module
#      proxy serves the module.
# A mirror's zip must match its SHA256SUMS entry: a mismatch or a missing entry is refused, never used.
# Users who can reach the Terraform registry need none of this: `terraform init` downloads the provider.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "provider-install: $*"; }
fail() {
  echo "provider-install: $*" >&2
  exit 1
}

version=$(node -p 'require("./provider/genesyscloud.json").version')
if ! [[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
  echo "provider-install: provider/genesyscloud.json must pin mypurecloud/genesyscloud to an exact version, got '$version'" >&2
  exit 2
fi
module=github.com/mypurecloud/terraform-provider-genesyscloud
platform="$(go env GOOS 2>/dev/null || uname -s | tr '[:upper:]' '[:lower:]')_$(go env GOARCH 2>/dev/null || echo amd64)"
root="$PWD/.provider"
mirror="$root/mirror"
namespace="registry.terraform.io/mypurecloud/genesyscloud"
zip_name="terraform-provider-genesyscloud_${version}_${platform}.zip"
packed="$mirror/$namespace/$zip_name"
unpacked="$mirror/$namespace/$version/$platform/terraform-provider-genesyscloud_v$version"

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# The SHA256SUMS entry for the zip, looked up in the mirror folder and then its parent; empty when none.
expected_sha() {
  local dir=$1 sums
  for sums in "$dir/SHA256SUMS" "$dir/../SHA256SUMS"; do
    if [ -f "$sums" ]; then
      awk -v name="$zip_name" '{ n = $2; sub(/^\*/, "", n); sub(/.*\//, "", n); if (n == name) { print $1; exit } }' "$sums"
      return
    fi
  done
}

install_from_mirror() {
  local dir=$1 source_zip="$1/$namespace/$zip_name" want got
  [ -f "$source_zip" ] || fail "$dir has no $namespace/$zip_name (the pinned $version for $platform)"
  want=$(expected_sha "$dir")
  [ -n "$want" ] || fail "no SHA256SUMS entry for $zip_name in $dir or its parent folder: refusing an unverifiable provider"
  got=$(sha256_of "$source_zip")
  [ "$got" = "$want" ] || fail "$source_zip has sha256 $got, but SHA256SUMS says $want: refusing it"
  rm -rf "$mirror"
  mkdir -p "$(dirname "$packed")"
  cp "$source_zip" "$packed"
  [ "$(sha256_of "$packed")" = "$want" ] || fail "the copy of $source_zip in $mirror does not match its checksum"
  echo "$want  $namespace/$zip_name" >"$mirror/SHA256SUMS"
  say "installed $zip_name from $dir (sha256 verified)"
}

install_with_go() {
  say "go install $module@v$version (the first build takes several minutes)"
  rm -rf "$mirror"
  mkdir -p "$root/bin" "$(dirname "$unpacked")"
  if ! GOBIN="$root/bin" go install -ldflags "-s -w -X main.version=$version" "$module@v$version" 2>"$root/build.log"; then
    echo "provider-install: no mirror was found and the Go module proxy did not serve $module@v$version:" >&2
    sed 's/^/  /' "$root/build.log" >&2
    echo "provider-install: set GENESYSCLOUD_PROVIDER_MIRROR to a filesystem mirror of the provider, or use a machine that reaches the Terraform registry" >&2
    exit 1
  fi
  cp "$root/bin/terraform-provider-genesyscloud" "$unpacked"
}

shared="$PWD/../shared/genesyscloud-provider/mirror"
if [ -f "$packed" ] && [ -f "$mirror/SHA256SUMS" ] && [ "$(sha256_of "$packed")" = "$(awk '{ print $1; exit }' "$mirror/SHA256SUMS")" ]; then
  say "reusing $packed"
elif [ -x "$unpacked" ]; then
  say "reusing $unpacked"
elif [ -n "${GENESYSCLOUD_PROVIDER_MIRROR:-}" ]; then
  [ -d "$GENESYSCLOUD_PROVIDER_MIRROR" ] || fail "GENESYSCLOUD_PROVIDER_MIRROR=$GENESYSCLOUD_PROVIDER_MIRROR is not a folder"
  install_from_mirror "$(cd "$GENESYSCLOUD_PROVIDER_MIRROR" && pwd)"
elif [ -d "$shared" ]; then
  install_from_mirror "$(cd "$shared" && pwd)"
else
  install_with_go
fi

cat >"$root/terraformrc" <<RC
# Written by scripts/provider-install.sh: the genesyscloud provider comes from the local mirror, offline.
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["$namespace"]
  }
  direct {
    exclude = ["$namespace"]
  }
}
RC
say "ready; export TF_CLI_CONFIG_FILE=$root/terraformrc"
