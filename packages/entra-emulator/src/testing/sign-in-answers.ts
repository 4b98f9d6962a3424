/**
 * Who signs in: a user of the emulator's directory (`DEFAULT_USERS.alice` fits as it is).
 *
 * @example
 * ```ts
 * const user: TestUser = { username: 'dave@contoso.onmicrosoft.com', password: 'pw' };
 * ```
 */
export interface TestUser {
  username: string;
  password: string;
}

/**
 * A page of the emulator's sign-in, by the last segment of its form action (`/_signin/login`,
 * `/_signin/mfa`, `/_signin/consent`).
 *
 * @example
 * ```ts
 * const stopAt: EmulatorPageName = 'consent';
 * ```
 */
export type EmulatorPageName = 'login' | 'mfa' | 'consent';

/**
 * What the person at the keyboard answers besides the password, and where they stop.
 *
 * @example
 * ```ts
 * const answers: SignInAnswers = { consent: 'refuse' };
 * ```
 */
export interface SignInAnswers {
  /** The MFA code typed when the emulator asks for one (default `MFA_CODE`, which it accepts). */
  otp?: string;
  /** Accept the consent page (default) or refuse it (`#cancel`: the app gets `access_denied`). */
  consent?: 'accept' | 'refuse';
  /** Stop when the emulator shows this page, without answering it (to inspect it or answer by hand). */
  stopAt?: EmulatorPageName;
}
