// Decodes BuildKit's StatusResponse (the base64 `aux` of `moby.buildkit.trace` build-stream lines).
import "server-only";
import protobuf from "protobufjs";

// A trimmed copy of moby/buildkit api/services/control/control.proto: only the messages and
// fields a build trace carries, with BuildKit's field numbers (unknown fields are skipped by
// the decoder, so newer engines that add fields still decode). Embedded as text rather than
// read from a .proto file so it works the same under vitest, tsx and a Next.js server bundle.
// `Timestamp` mirrors google.protobuf.Timestamp's wire format (seconds = 1, nanos = 2) so no
// import has to be resolved.
export const buildkitStatusProto = `
syntax = "proto3";
package moby.buildkit.v1;

message StatusResponse {
  repeated Vertex vertexes = 1;
  repeated VertexStatus statuses = 2;
  repeated VertexLog logs = 3;
}

message Vertex {
  string digest = 1;
  repeated string inputs = 2;
  string name = 3;
  bool cached = 4;
  Timestamp started = 5;
  Timestamp completed = 6;
  string error = 7;
  ProgressGroup progressGroup = 8;
}

message VertexStatus {
  string ID = 1;
  string vertex = 2;
  string name = 3;
  int64 current = 4;
  int64 total = 5;
  Timestamp timestamp = 6;
  Timestamp started = 7;
  Timestamp completed = 8;
}

message VertexLog {
  string vertex = 1;
  Timestamp timestamp = 2;
  int64 stream = 3;
  bytes msg = 4;
}

message ProgressGroup {
  string id = 1;
  string name = 2;
  bool weak = 3;
}

message Timestamp {
  int64 seconds = 1;
  int32 nanos = 2;
}
`;

export type StatusVertex = {
  digest: string;
  inputs: string[];
  name: string;
  cached: boolean;
  started: Date | null;
  completed: Date | null;
  error: string;
  progressGroup: { id: string; name: string; weak: boolean } | null;
};

export type StatusVertexStatus = {
  ID: string;
  vertex: string;
  name: string;
  current: number;
  total: number;
  timestamp: Date | null;
  started: Date | null;
  completed: Date | null;
};

export type StatusVertexLog = {
  vertex: string;
  timestamp: Date | null;
  // 1 = stdout, 2 = stderr (the file descriptor of the process that wrote it)
  stream: number;
  msg: Uint8Array;
};

export type StatusResponse = {
  vertexes: StatusVertex[];
  statuses: StatusVertexStatus[];
  logs: StatusVertexLog[];
};

const statusResponseType = protobuf
  .parse(buildkitStatusProto, { keepCase: true })
  .root.lookupType("moby.buildkit.v1.StatusResponse");

type RawTimestamp = { seconds: number; nanos: number } | null | undefined;

const toDate = (timestamp: RawTimestamp): Date | null => {
  if (!timestamp) return null;
  // Millisecond precision is all a Date holds; BuildKit sends nanoseconds.
  return new Date(timestamp.seconds * 1000 + Math.floor(timestamp.nanos / 1e6));
};

type RawVertex = Omit<StatusVertex, "started" | "completed"> & { started: RawTimestamp; completed: RawTimestamp };
type RawVertexStatus = Omit<StatusVertexStatus, "timestamp" | "started" | "completed"> & {
  timestamp: RawTimestamp;
  started: RawTimestamp;
  completed: RawTimestamp;
};
type RawVertexLog = Omit<StatusVertexLog, "timestamp"> & { timestamp: RawTimestamp };
type RawStatusResponse = { vertexes: RawVertex[]; statuses: RawVertexStatus[]; logs: RawVertexLog[] };

// Throws on bytes that are not a StatusResponse; callers decide what a corrupt trace means.
export const decodeStatusResponse = (bytes: Uint8Array): StatusResponse => {
  const message = statusResponseType.decode(bytes);
  const raw = statusResponseType.toObject(message, {
    longs: Number,
    defaults: true,
    arrays: true,
  }) as RawStatusResponse;
  return {
    vertexes: raw.vertexes.map((vertex) => ({
      ...vertex,
      started: toDate(vertex.started),
      completed: toDate(vertex.completed),
      progressGroup: vertex.progressGroup ?? null,
    })),
    statuses: raw.statuses.map((status) => ({
      ...status,
      timestamp: toDate(status.timestamp),
      started: toDate(status.started),
      completed: toDate(status.completed),
    })),
    logs: raw.logs.map((log) => ({ ...log, timestamp: toDate(log.timestamp), msg: log.msg ?? new Uint8Array() })),
  };
};

export const decodeStatusResponseBase64 = (base64: string): StatusResponse =>
  decodeStatusResponse(Buffer.from(base64, "base64"));
