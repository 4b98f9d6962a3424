// entra-emulator/testing: helpers for tests of apps that sign users in with the emulator.
// Plain async functions first; the use… helpers register Jest/Vitest hooks only when called.
export { startTestEmulator } from './test-emulator';
export type { TestEmulatorOptions } from './test-emulator';
export { useEmulator } from './use-emulator';
export type { UseEmulatorOptions } from './use-emulator';
export type { TestHooks } from './test-hooks';
export { azureAdSettings } from './azure-ad-settings';
export type { AzureAdSettings } from './azure-ad-settings';

export type { EmulatorPageName, SignInAnswers, TestUser } from './sign-in-answers';
export { SignInFlowError } from './sign-in-flow.error';
export { appUrlOf } from './app-url';
export type { AppUnderTest } from './app-url';
export { navigate } from './navigate';
export type { NavigateInit, NavigationResponse } from './navigate';
export { authorizeOverHttp } from './authorize-over-http';
export type { AuthorizationResponse, AuthorizeOverHttpOptions } from './authorize-over-http';
export { signInOverHttp } from './sign-in-over-http';
export type { HttpSignInOptions, HttpSignInResult } from './sign-in-over-http';

export { CHROMIUM_ARGS, findChromium, launchChromium, newTestContext } from './chromium';
export { useChromium } from './use-chromium';
export { answerEmulatorPages, signInWithPage } from './sign-in-with-page';
export type { PageSignInOptions, PageSignInResult } from './sign-in-with-page';
