#!/bin/sh
# Captures the package fixtures of lib/content/packages.test.ts and run-evidence.test.ts from a
# multi-stage build of examples/pyapp (Dockerfile.multi on layerboard/bookworm-base:local):
#   sh capture.sh layerboard/pyapp-example-multi-stage:<tag>
# The dpkg status is trimmed to a few packages; listing.tsv holds type, size, mode, path and link
# target (find -printf) of every path (parent directories resolved: /lib/x → /usr/lib/x on merged /usr) those packages' lists name, of /opt/venv and of the root symlinks.
set -eu
IMG="$1"
PKGS="libexpat1 zlib1g python3.11-minimal libpython3.11-minimal media-types"
run() { docker run --rm --network none --entrypoint sh "$IMG" -c "$1"; }
run "for p in $PKGS; do awk -v p=\"\$p\" 'BEGIN{RS=\"\"; ORS=\"\\n\\n\"} \$0 ~ \"(^|\\n)Package: \" p \"\\n\" {print}' /var/lib/dpkg/status; done" > status
mkdir -p info dist-info
for p in $PKGS; do
  f=$(run "ls /var/lib/dpkg/info/ | grep -E '^$p(:amd64)?\.list\$'")
  run "cat /var/lib/dpkg/info/$f" > "info/$f"
done
for d in pip-23.0.1 wheel-0.38.4 layerdemo-0.1.0; do
  mkdir -p "dist-info/$d.dist-info"
  run "cat /opt/venv/lib/python3.11/site-packages/$d.dist-info/RECORD" > "dist-info/$d.dist-info/RECORD"
  run "head -c 400 /opt/venv/lib/python3.11/site-packages/$d.dist-info/METADATA" > "dist-info/$d.dist-info/METADATA"
done
run "cat /etc/ld.so.conf" > ld.so.conf
run "cat /etc/ld.so.conf.d/x86_64-linux-gnu.conf" > x86_64-linux-gnu.conf
run "{ cat /var/lib/dpkg/info/libexpat1:amd64.list /var/lib/dpkg/info/zlib1g:amd64.list /var/lib/dpkg/info/python3.11-minimal.list \
  /var/lib/dpkg/info/libpython3.11-minimal:amd64.list /var/lib/dpkg/info/media-types.list; echo /bin; echo /lib; echo /lib64; echo /usr/bin/python3; \
  echo /usr/lib64/ld-linux-x86-64.so.2; echo /usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2; echo /usr/lib/x86_64-linux-gnu/libc.so.6; \
  echo /usr/lib/x86_64-linux-gnu/libm.so.6; find /opt/venv; } | sort -u | while read -r p; do [ -e \"\$p\" ] || [ -L \"\$p\" ] || continue; \
  d=\$(readlink -f \"\$(dirname \"\$p\")\"); c=\"\${d%/}/\$(basename \"\$p\")\"; find \"\$c\" -maxdepth 0 -printf '%y\t%s\t%m\t%p\t%l\n'; done | sort -u" > listing.tsv
# The ELF facts of the real interpreter (what the indexer would store for it), read with lib/content/elf.ts:
[ -n "${SKIP_ELF:-}" ] && exit 0
docker run --rm --entrypoint cat "$IMG" /usr/bin/python3.11 > /tmp/python3.11
(cd ../../../.. && npx tsx -e 'import fs from "node:fs"; import { readElfInfo } from "./lib/content/elf"; console.log(JSON.stringify(readElfInfo(fs.readFileSync("/tmp/python3.11")), null, 2))') > elf-python3.11.json
