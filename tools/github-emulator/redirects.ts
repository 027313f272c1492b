// Renamed and transferred repositories. GitHub answers a request naming a repository by a former
// location (the owner renamed it, renamed their account, or transferred it) with "either a 301 or
// 307 HTTP redirect, depending on the type of request being made"
// (https://developer.github.com/changes/2015-04-17-preview-repository-redirects/), to the
// repository's id path; see GitHub's REST docs, "HTTP redirects":
// https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api#follow-redirects
// 301 for GET and HEAD, which a client may follow; 307 for every other method, which a client
// must repeat verbatim (same method and body) at the new location if it wants the change made.
import type { Reply } from "./http";
import type { World } from "./world";

const DOCS =
  "https://docs.github.com/rest/guides/best-practices-for-using-the-rest-api#follow-redirects";

/**
 * The redirect for `/repos/{old_owner}/{old_name}` and anything below it, or undefined when the
 * path does not name a former location. `rawPath` is still percent-encoded: the rest of the path
 * is kept verbatim (an environment name's "%2F" stays encoded), and so is the query (`search`).
 */
export function repositoryRedirect(
  world: World,
  method: string,
  rawPath: string,
  search: string,
  apiUrl: string,
): Reply | undefined {
  const [empty, repos, owner, name, ...rest] = rawPath.split("/");
  if (empty !== "" || repos !== "repos" || !owner || !name) return undefined;
  let repo;
  try {
    repo = world.redirect(decodeURIComponent(owner), decodeURIComponent(name));
  } catch {
    return undefined; // malformed percent-encoding: routing answers 404 as for any such path
  }
  if (!repo) return undefined;
  const tail = rest.length > 0 ? `/${rest.join("/")}` : "";
  const location = `${apiUrl}/repositories/${repo.id}${tail}${search}`;
  const permanent = method === "GET" || method === "HEAD";
  return {
    status: permanent ? 301 : 307,
    body: {
      message: permanent ? "Moved Permanently" : "Temporary Redirect",
      url: location,
      documentation_url: DOCS,
    },
    headers: { location },
  };
}
