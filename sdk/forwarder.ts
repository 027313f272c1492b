// The object Pulumi serializes into every resource's state as `__provider`. It must stay thin
// and stable: it captures only the kind's name, and loads the implementation by package name
// when the engine calls it, so state never holds a token, a config value or a secret, and the
// state written by an old version runs with whatever version is installed. Never rename the
// specifier below: delete and refresh run the forwarder stored in state.
// This file is kept out of coverage instrumentation (jest.config.js), whose counters would be
// captured into the serialized function.

import type * as dynamic from "@pulumi/pulumi/dynamic";

export function forwarder(kind: string): dynamic.ResourceProvider {
  return {
    configure: (request) =>
      require("pulumi-github-secrets/provider").configure(request),
    check: (olds, news) =>
      require("pulumi-github-secrets/provider")
        .provider(kind)
        .check(olds, news),
    diff: (id, olds, news) =>
      require("pulumi-github-secrets/provider")
        .provider(kind)
        .diff(id, olds, news),
    create: (inputs) =>
      require("pulumi-github-secrets/provider").provider(kind).create(inputs),
    read: (id, props) =>
      require("pulumi-github-secrets/provider").provider(kind).read(id, props),
    update: (id, olds, news) =>
      require("pulumi-github-secrets/provider")
        .provider(kind)
        .update(id, olds, news),
    delete: (id, props) =>
      require("pulumi-github-secrets/provider")
        .provider(kind)
        .delete(id, props),
  };
}
