// The one cached dockerode client; DOCKER_HOST (unix://, tcp://) or the default socket.
import Docker from "dockerode";

const cache = globalThis as unknown as { layerboardDocker?: Docker };

// No API version is pinned: with none in the request path each engine uses its own
// (engine 20.10 rejects > 1.41, Docker 29 rejects 1.41).
export const createDockerClient = (dockerHost = process.env.DOCKER_HOST): Docker => {
  if (!dockerHost) return new Docker({ socketPath: "/var/run/docker.sock" });
  const url = new URL(dockerHost);
  if (url.protocol === "unix:") return new Docker({ socketPath: url.pathname });
  return new Docker({ host: url.hostname, port: Number(url.port || 2375), protocol: "http" });
};

export const getDocker = (): Docker => (cache.layerboardDocker ??= createDockerClient());
