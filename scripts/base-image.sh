#!/usr/bin/env bash
# Makes the local base image (default layerboard/bookworm-base:local) when the engine has
# none: no registry is reachable here, so it is built from Debian packages with
# debootstrap from the host's configured mirror and imported. Idempotent; instant when
# the image exists. With a registry, LAYERBOARD_BASE_IMAGE=debian:bookworm-slim works too.
set -euo pipefail
image="${LAYERBOARD_BASE_IMAGE:-layerboard/bookworm-base:local}"

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "base image $image present"
  exit 0
fi
if [[ "$image" != */*:local ]] && docker pull "$image" >/dev/null 2>&1; then
  echo "base image $image pulled"
  exit 0
fi

command -v debootstrap >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap; }

# The mirror the host itself uses (deb822 sources or a classic sources.list).
mirror=$(grep -hoE '^URIs:\s*\S+' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
[ -n "$mirror" ] || mirror=$(grep -hoE '^deb\s+\S+' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -n1 || true)
mirror="${mirror:-http://deb.debian.org/debian}"

rootfs=$(mktemp -d /tmp/layerboard-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT
echo "building $image with debootstrap from $mirror"
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/tmp/layerboard-debootstrap.log 2>&1 \
  || { tail -20 /tmp/layerboard-debootstrap.log; exit 1; }
# Same hygiene as the official Debian image: no apt lists, caches or downloaded .debs in
# the base layer, and apt set to clean its caches after each install (docker-clean).
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb
cat > "$rootfs/etc/apt/apt.conf.d/docker-clean" <<'APT'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
tar -C "$rootfs" -c . | docker import \
  --change 'CMD ["bash"]' \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  - "$image" >/dev/null
echo "base image $image built ($(docker image inspect -f '{{.Size}}' "$image") bytes)"
