// pulumi-github-secrets: GitHub secrets of every kind as Pulumi resources.
export * from "./resources";
export { kinds, type KindName, type SecretKind } from "../provider/kinds";
export * from "./selection";
export * from "./secret-set";
