// Repository and owner JSON in GitHub's shapes (`minimal-repository`, `full-repository`,
// `simple-user`). Most fields are URLs that no client of this project reads, but the OpenAPI
// description requires them and every response is validated against it.
import type { Owner, Repository } from "./world";

const EPOCH = "2020-01-01T00:00:00Z";

export function simpleUser(api: string, owner: Owner): Record<string, unknown> {
  const u = `${api}/users/${owner.login}`;
  const web = api.replace(/\/api\/v3$/, "");
  return {
    login: owner.login,
    id: owner.id,
    node_id: Buffer.from(`04:${owner.type}${owner.id}`).toString("base64"),
    avatar_url: `${web}/avatars/${owner.login}`,
    gravatar_id: "",
    url: u,
    html_url: `${web}/${owner.login}`,
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: owner.type,
    site_admin: false,
  };
}

export function minimalRepository(
  api: string,
  repo: Repository,
): Record<string, unknown> {
  const fullName = `${repo.owner.login}/${repo.name}`;
  const u = `${api}/repos/${fullName}`;
  const web = api.replace(/\/api\/v3$/, "");
  const templated = (suffix: string) => `${u}/${suffix}`;
  return {
    id: repo.id,
    node_id: Buffer.from(`010:Repository${repo.id}`).toString("base64"),
    name: repo.name,
    full_name: fullName,
    owner: simpleUser(api, repo.owner),
    private: repo.private,
    html_url: `${web}/${fullName}`,
    description: null,
    fork: false,
    url: u,
    archive_url: templated("{archive_format}{/ref}"),
    assignees_url: templated("assignees{/user}"),
    blobs_url: templated("git/blobs{/sha}"),
    branches_url: templated("branches{/branch}"),
    collaborators_url: templated("collaborators{/collaborator}"),
    comments_url: templated("comments{/number}"),
    commits_url: templated("commits{/sha}"),
    compare_url: templated("compare/{base}...{head}"),
    contents_url: templated("contents/{+path}"),
    contributors_url: templated("contributors"),
    deployments_url: templated("deployments"),
    downloads_url: templated("downloads"),
    events_url: templated("events"),
    forks_url: templated("forks"),
    git_commits_url: templated("git/commits{/sha}"),
    git_refs_url: templated("git/refs{/sha}"),
    git_tags_url: templated("git/tags{/sha}"),
    git_url: `git://${new URL(api).host}/${fullName}.git`,
    hooks_url: templated("hooks"),
    issue_comment_url: templated("issues/comments{/number}"),
    issue_events_url: templated("issues/events{/number}"),
    issues_url: templated("issues{/number}"),
    keys_url: templated("keys{/key_id}"),
    labels_url: templated("labels{/name}"),
    languages_url: templated("languages"),
    merges_url: templated("merges"),
    milestones_url: templated("milestones{/number}"),
    notifications_url: templated("notifications{?since,all,participating}"),
    pulls_url: templated("pulls{/number}"),
    releases_url: templated("releases{/id}"),
    ssh_url: `git@${new URL(api).hostname}:${fullName}.git`,
    stargazers_url: templated("stargazers"),
    statuses_url: templated("statuses/{sha}"),
    subscribers_url: templated("subscribers"),
    subscription_url: templated("subscription"),
    tags_url: templated("tags"),
    teams_url: templated("teams"),
    trees_url: templated("git/trees{/sha}"),
    clone_url: `${web}/${fullName}.git`,
    visibility: repo.private ? "private" : "public",
    default_branch: "main",
    created_at: EPOCH,
    updated_at: EPOCH,
    pushed_at: EPOCH,
  };
}

export function fullRepository(
  api: string,
  repo: Repository,
): Record<string, unknown> {
  const fullName = `${repo.owner.login}/${repo.name}`;
  const web = api.replace(/\/api\/v3$/, "");
  return {
    ...minimalRepository(api, repo),
    mirror_url: null,
    homepage: null,
    language: null,
    svn_url: `${web}/${fullName}`,
    forks: 0,
    forks_count: 0,
    stargazers_count: 0,
    watchers: 0,
    watchers_count: 0,
    size: 0,
    open_issues: 0,
    open_issues_count: 0,
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    license: null,
    network_count: 0,
    subscribers_count: 0,
    ...(repo.owner.type === "Organization"
      ? { organization: simpleUser(api, repo.owner) }
      : {}),
  };
}
