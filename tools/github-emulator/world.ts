// The emulated world: organizations, users, their repositories and environments, and tokens.
// Lookups by name are case-insensitive like GitHub's; ids are what selected-repository lists use.
// A repository keeps its id through renames and transfers, so everything keyed by id (secrets,
// environments, selections) follows it; its old names are remembered as redirects.
import { randomInt } from "node:crypto";

export interface RepositorySpec {
  name: string;
  /** Numeric repository id; allocated when omitted. */
  id?: number;
  /** Defaults to true. Organization secrets with visibility `private` reach only private repos. */
  private?: boolean;
  environments?: string[];
}

export interface OwnerSpec {
  login: string;
  id?: number;
  repositories?: RepositorySpec[];
}

export interface TokenSpec {
  token: string;
  /** The user the token authenticates as (owner of `/user/...` secrets). */
  login: string;
  /** Without write permission, PUT/DELETE answer 403 "Resource not accessible by personal access token". */
  write?: boolean;
}

export interface WorldSpec {
  orgs?: OwnerSpec[];
  users?: OwnerSpec[];
  tokens?: TokenSpec[];
}

export interface Repository {
  id: number;
  name: string;
  owner: Owner;
  private: boolean;
  /** Keyed by lower-cased name: GitHub environment names are case-insensitive. */
  environments: Map<string, string>;
}

export interface Owner {
  login: string;
  id: number;
  type: "Organization" | "User";
  repositories: Map<string, Repository>;
}

export const DEFAULT_TOKEN = "ghp_emulator_admin_token";
export const DEFAULT_READONLY_TOKEN = "ghp_emulator_readonly_token";

/** A small world with the awkward environment names clients must encode correctly. */
export const DEFAULT_WORLD: WorldSpec = {
  orgs: [
    {
      login: "acme",
      id: 9001,
      repositories: [
        {
          name: "api",
          id: 101,
          environments: ["dev", "prod", "production env/with space", "ünïcode"],
        },
        { name: "web", id: 102, private: false, environments: ["dev", "prod"] },
        { name: "infra", id: 103 },
      ],
    },
    // A second org so tests can show that another org's repository ids are refused.
    { login: "globex", id: 9002, repositories: [{ name: "billing", id: 301 }] },
  ],
  users: [
    {
      login: "octocat",
      id: 583231,
      repositories: [{ name: "hello-world", id: 201, private: false }],
    },
  ],
  tokens: [
    { token: DEFAULT_TOKEN, login: "octocat", write: true },
    { token: DEFAULT_READONLY_TOKEN, login: "octocat", write: false },
  ],
};

export class World {
  readonly owners = new Map<string, Owner>();
  readonly tokens = new Map<string, TokenSpec>();
  private readonly reposById = new Map<number, Repository>();
  /** Old "owner/name" (lower-cased) → repository id, for renamed and transferred repositories. */
  private readonly redirects = new Map<string, number>();
  private nextId = 100000;

  constructor(spec: WorldSpec) {
    for (const o of spec.orgs ?? []) this.addOwner(o, "Organization");
    for (const u of spec.users ?? []) this.addOwner(u, "User");
    for (const t of spec.tokens ?? []) this.addToken(t);
  }

  addToken(spec: TokenSpec): TokenSpec {
    if (this.tokens.has(spec.token)) throw new Error("token exists");
    const token = { ...spec };
    this.tokens.set(token.token, token);
    // The token's user exists even when the spec did not list it.
    if (!this.owners.has(token.login.toLowerCase()))
      this.addOwner({ login: token.login }, "User");
    return token;
  }

  /**
   * Replaces a token by a new one with the same user and permissions, as regenerating a personal
   * access token does: the old value answers 401 "Bad credentials" from then on.
   */
  rotateToken(oldToken: string): string {
    const old = this.tokens.get(oldToken);
    if (!old) throw new Error("unknown token");
    // GitHub's shape: the old token's prefix (ghp_, ghs_, …) and 36 alphanumerics.
    const prefix = /^[a-z]+_/.exec(oldToken)?.[0] ?? "ghp_";
    const alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let token: string;
    do {
      token = prefix;
      for (let i = 0; i < 36; i++)
        token += alphabet[randomInt(alphabet.length)];
    } while (this.tokens.has(token));
    this.tokens.delete(oldToken);
    this.tokens.set(token, { ...old, token });
    return token;
  }

  addOwner(spec: OwnerSpec, type: Owner["type"]): Owner {
    if (this.owners.has(spec.login.toLowerCase()))
      throw new Error(`owner ${spec.login} exists`);
    const owner: Owner = {
      login: spec.login,
      id: spec.id ?? this.allocateId(),
      type,
      repositories: new Map(),
    };
    this.owners.set(spec.login.toLowerCase(), owner);
    for (const r of spec.repositories ?? []) this.addRepository(spec.login, r);
    return owner;
  }

  addRepository(ownerLogin: string, spec: RepositorySpec): Repository {
    const owner = this.owners.get(ownerLogin.toLowerCase());
    if (!owner) throw new Error(`unknown owner ${ownerLogin}`);
    if (owner.repositories.has(spec.name.toLowerCase()))
      throw new Error(`${ownerLogin}/${spec.name} exists`);
    const id = spec.id ?? this.allocateId();
    if (this.reposById.has(id)) throw new Error(`repository id ${id} is taken`);
    const repo: Repository = {
      id,
      name: spec.name,
      owner,
      private: spec.private ?? true,
      environments: new Map(),
    };
    for (const e of spec.environments ?? [])
      repo.environments.set(e.toLowerCase(), e);
    this.place(repo, owner, spec.name);
    this.reposById.set(id, repo);
    return repo;
  }

  /** GitHub keeps redirecting every former name until someone reuses it. */
  renameRepository(
    ownerLogin: string,
    name: string,
    newName: string,
  ): Repository {
    const repo = this.existing(ownerLogin, name);
    const taken = repo.owner.repositories.get(newName.toLowerCase());
    if (taken && taken !== repo)
      throw new Error(`${repo.owner.login}/${newName} exists`);
    return this.move(repo, repo.owner, newName);
  }

  /** Moves the repository to another org or user, keeping its name and id. */
  transferRepository(
    ownerLogin: string,
    name: string,
    newOwnerLogin: string,
  ): Repository {
    const repo = this.existing(ownerLogin, name);
    const target = this.owners.get(newOwnerLogin.toLowerCase());
    if (!target) throw new Error(`unknown owner ${newOwnerLogin}`);
    if (target === repo.owner)
      throw new Error(`${repo.owner.login}/${repo.name} is already there`);
    if (target.repositories.has(repo.name.toLowerCase()))
      throw new Error(`${target.login}/${repo.name} exists`);
    return this.move(repo, target, repo.name);
  }

  /** The repository an old "owner/name" now redirects to; undefined while the name is in use. */
  redirect(ownerLogin: string, name: string): Repository | undefined {
    // No need to look for a repository of that name: placing one deletes the redirect.
    const id = this.redirects.get(fullNameKey(ownerLogin, name));
    return id === undefined ? undefined : this.reposById.get(id);
  }

  addEnvironment(ownerLogin: string, repoName: string, name: string): void {
    this.existing(ownerLogin, repoName).environments.set(
      name.toLowerCase(),
      name,
    );
  }

  org(login: string): Owner | undefined {
    const o = this.owners.get(login.toLowerCase());
    return o?.type === "Organization" ? o : undefined;
  }

  owner(login: string): Owner | undefined {
    return this.owners.get(login.toLowerCase());
  }

  repository(ownerLogin: string, name: string): Repository | undefined {
    return this.owners
      .get(ownerLogin.toLowerCase())
      ?.repositories.get(name.toLowerCase());
  }

  repositoryById(id: number): Repository | undefined {
    return this.reposById.get(id);
  }

  environment(repo: Repository, name: string): string | undefined {
    return repo.environments.get(name.toLowerCase());
  }

  private existing(ownerLogin: string, name: string): Repository {
    const repo = this.repository(ownerLogin, name);
    if (!repo) throw new Error(`unknown repository ${ownerLogin}/${name}`);
    return repo;
  }

  private move(repo: Repository, owner: Owner, name: string): Repository {
    const from = fullNameKey(repo.owner.login, repo.name);
    repo.owner.repositories.delete(repo.name.toLowerCase());
    repo.owner = owner;
    repo.name = name;
    this.place(repo, owner, name);
    // A change of case only keeps the same name: nothing to redirect.
    if (from !== fullNameKey(owner.login, name))
      this.redirects.set(from, repo.id);
    return repo;
  }

  /** A name taken (again) stops redirecting: GitHub then serves whatever now lives there. */
  private place(repo: Repository, owner: Owner, name: string): void {
    owner.repositories.set(name.toLowerCase(), repo);
    this.redirects.delete(fullNameKey(owner.login, name));
  }

  private allocateId(): number {
    while (this.reposById.has(this.nextId)) this.nextId++;
    return this.nextId++;
  }
}

const fullNameKey = (owner: string, name: string) =>
  `${owner}/${name}`.toLowerCase();
