// The object Pulumi serializes into every resource's state as `__provider`. It must stay thin
// and stable: it captures only the kind's name, and loads the implementation by package name
// when the engine calls it, so state never holds a token, a config value or a secret, and the
// state written by an old version runs with whatever version is installed. Never rename the
// specifier or `forward`: delete and refresh run the forwarder stored in state.
// This file is kept out of coverage instrumentation (jest.config.js), whose counters would be
// captured into the serialized function.

import type * as dynamic from "@pulumi/pulumi/dynamic";

export function forwarder(kind: string): dynamic.ResourceProvider {
  // One function captures the kind; each method is a one-line call to it, so the serialized
  // text grows by a few bytes per method rather than by a copy of the require.
  const forward = (method: string, args: unknown[]) =>
    require("pulumi-github-secrets/provider").forward(kind, method, args);
  return {
    configure: (...args) => forward("configure", args),
    check: (...args) => forward("check", args),
    diff: (...args) => forward("diff", args),
    create: (...args) => forward("create", args),
    read: (...args) => forward("read", args),
    update: (...args) => forward("update", args),
    delete: (...args) => forward("delete", args),
  };
}
