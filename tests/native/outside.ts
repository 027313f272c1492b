// Secrets GitHub holds before a program declares them, as the UI or `gh secret set` leaves them.
import { sealForKey, type Emulator } from "../../tools/github-emulator";

/**
 * A secret written by someone else (the UI, `gh secret set`), for import; `fields` adds to the
 * request body (an organization secret's `visibility` and `selected_repository_ids`).
 */
export async function putOutsidePulumi(
  emulator: Emulator,
  collection: string,
  name: string,
  fields: Record<string, unknown> = {},
): Promise<void> {
  const headers = {
    authorization: `Bearer ${emulator.token}`,
    "content-type": "application/json",
  };
  const key = (await (
    await fetch(`${emulator.url}/${collection}/public-key`, { headers })
  ).json()) as { key: string; key_id: string };
  const put = await fetch(`${emulator.url}/${collection}/${name}`, {
    method: "PUT",
    headers,
    body: JSON.stringify({
      encrypted_value: sealForKey("set outside pulumi", key.key),
      key_id: key.key_id,
      ...fields,
    }),
  });
  if (put.status !== 201 && put.status !== 204)
    throw new Error(`PUT ${collection}/${name}: ${put.status}`);
}
