// `GET /images/{id}/json?manifests=1` (API 1.48+, containerd image store only): the per-platform
// manifests with their content and unpacked sizes. dockerode's inspect takes no query, hence the dial.
// Never run for real here (engine 20.10 has only overlay2): see docs/registries.md.
import "server-only";
import type Docker from "dockerode";
import type { InspectWithManifests } from "@/lib/docker/image-store";

export const inspectImageManifests = (docker: Docker, imageId: string): Promise<InspectWithManifests> =>
  new Promise((resolve, reject) => {
    docker.modem.dial(
      { path: `/images/${encodeURIComponent(imageId)}/json?`, method: "GET", options: { manifests: true }, statusCodes: { 200: true, 404: "no such image", 500: "server error" } },
      (error: unknown, data: unknown) => (error ? reject(error) : resolve(data as InspectWithManifests)),
    );
  });
