/**
 * Where the API's tokens come from and who they are for. Read once at start-up from the
 * authority's OpenID configuration.
 */
export class TodoApiSettings {
  constructor(
    readonly issuer: string,
    readonly jwksUri: string,
    /** Accepted `aud` values: Entra puts the API's client id in v2 tokens and its App ID URI in v1 tokens. */
    readonly audiences: string[],
  ) {}

  /**
   * @param authority e.g. `https://localhost:8443/<tenant-id>` (the emulator) or
   *   `https://login.microsoftonline.com/<tenant-id>`.
   * @param audiences the API's client id and application ID URI, e.g. `api://todo-api`.
   */
  static async discover(authority: string, audiences: string[]): Promise<TodoApiSettings> {
    const url = `${authority.replace(/\/+$/, '')}/v2.0/.well-known/openid-configuration`;
    const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`OpenID configuration at ${url} answered ${response.status}`);
    const metadata = (await response.json()) as { issuer: string; jwks_uri: string };
    return new TodoApiSettings(metadata.issuer, metadata.jwks_uri, audiences);
  }
}
