/**
 * Where the API's tokens come from and who they are for, checked once at start-up.
 */
export class TodoApiSettings {
  constructor(
    /** The authority's OpenID configuration, which passport-azure-ad reads (issuer, keys). */
    readonly identityMetadata: string,
    /** Accepted `aud` values, the API's client id first: v2 tokens carry it, v1 tokens the App ID URI. */
    readonly audiences: string[],
  ) {}

  /**
   * Checks the authority's v2.0 metadata answers, so a wrong authority fails at start-up rather
   * than on the first request.
   *
   * @param authority e.g. `https://localhost:8443/<tenant-id>` (the emulator) or
   *   `https://login.microsoftonline.com/<tenant-id>`.
   * @param audiences the API's client id, then its application ID URI, e.g. `api://todo-api`.
   */
  static async discover(authority: string, audiences: string[]): Promise<TodoApiSettings> {
    const url = `${authority.replace(/\/+$/, '')}/v2.0/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`OpenID configuration at ${url} answered ${response.status}`);
    return new TodoApiSettings(url, audiences);
  }
}
