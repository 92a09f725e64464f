// Streams several tar archives into one, each under its own prefix, entry by entry
// (the builder pattern's runtime context = the project context + the artefact).
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import tar from "tar-stream";

export type TarSource = { tar: NodeJS.ReadableStream; prefix?: string };

const joinPrefix = (prefix: string | undefined, name: string) => (prefix ? `${prefix.replace(/\/+$/, "")}/${name}` : name);

export const mergeTarStreams = (sources: TarSource[]): Readable => {
  const pack = tar.pack();
  const copyAll = async () => {
    for (const source of sources) {
      const extract = tar.extract();
      extract.on("entry", (header, stream, next) => {
        const renamed = { ...header, name: joinPrefix(source.prefix, header.name) };
        if (header.type === "link" && header.linkname) renamed.linkname = joinPrefix(source.prefix, header.linkname);
        stream.pipe(pack.entry(renamed, (error) => next(error ?? undefined)));
      });
      await pipeline(Readable.from(source.tar as AsyncIterable<Buffer>), extract);
    }
    pack.finalize();
  };
  copyAll().catch((error) => pack.destroy(error));
  return pack as unknown as Readable;
};
