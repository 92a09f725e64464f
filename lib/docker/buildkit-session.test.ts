import { describe, expect, it } from "vitest";
import { credentialsFor } from "@/lib/docker/buildkit-session";

describe("credentialsFor", () => {
  const registries = [
    { host: "127.0.0.1:5000", username: "ci", password: "pw" },
    { host: "Registry.Example.com", username: "bot", password: null },
    { host: "docker.io", username: "hub", password: "hub-token" },
    { host: "anon.example.com", username: null, password: "ignored" },
  ];

  it("answers the credentials of the host BuildKit asks for, host and port exactly", () => {
    expect(credentialsFor(registries, "127.0.0.1:5000")).toEqual({ Username: "ci", Secret: "pw" });
    expect(credentialsFor(registries, "127.0.0.1:5001")).toEqual({ Username: "", Secret: "" });
    expect(credentialsFor(registries, "registry.example.com")).toEqual({ Username: "bot", Secret: "" });
  });

  it("asks Docker Hub as registry-1.docker.io", () => {
    expect(credentialsFor(registries, "registry-1.docker.io")).toEqual({ Username: "hub", Secret: "hub-token" });
  });

  it("answers anonymously without a username or a matching host", () => {
    expect(credentialsFor(registries, "anon.example.com")).toEqual({ Username: "", Secret: "" });
    expect(credentialsFor([], "127.0.0.1:5000")).toEqual({ Username: "", Secret: "" });
  });
});
