// Small Dockerfiles whose RUN output a test can check line by line, or that keep a build
// running long enough to stop something under it.
import { BASE_IMAGE } from "./pipeline";

/** A Dockerfile whose one RUN prints `<marker> line-1` … `line-<lines>`, `intervalS` apart. */
export const printingDockerfile = (marker: string, lines: number, intervalS: number) =>
  [
    `FROM ${BASE_IMAGE}`,
    `RUN echo "start ${marker}" && for i in $(seq 1 ${lines}); do echo "${marker} line-$i"; sleep ${intervalS}; done && echo "done ${marker}"`,
    `CMD ["true"]`,
  ].join("\n");

export const expectedPrintedLines = (marker: string, lines: number) => [
  `start ${marker}`,
  ...Array.from({ length: lines }, (_, i) => `${marker} line-${i + 1}`),
  `done ${marker}`,
];

/** A Dockerfile whose one RUN prints `marker` then sleeps. */
export const sleepingDockerfile = (marker: string, seconds: number) =>
  [`FROM ${BASE_IMAGE}`, `RUN echo ${marker} && sleep ${seconds} && echo "woke ${marker}"`, `CMD ["true"]`].join("\n");
