// Values fetched once per key per provider process and shared by concurrent callers: a scope's
// public key (a hundred secrets of one repository cost one key request), a scope's listing, a
// repository's id. A failed fetch is forgotten, so it does not poison the rest of the run.

export class Memo<T> {
  private readonly values = new Map<string, Promise<T>>();

  get(key: string, fetch: () => Promise<T>): Promise<T> {
    let value = this.values.get(key);
    if (!value) {
      value = fetch();
      this.values.set(key, value);
      value.catch(() => this.values.delete(key));
    }
    return value;
  }

  /** Forget a value that is stale (a rotated key, a listing before a write). */
  forget(key: string): void {
    this.values.delete(key);
  }
}
