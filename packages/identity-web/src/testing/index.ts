// nest-identity-web/testing: doubles for unit tests of code that uses the library. For end-to-end
// tests against a local Entra ID, see the entra-emulator package and entra-emulator/testing.
export { RecordingTokenAcquisition } from './recording-token-acquisition';
export type {
  RecordedAppTokenRequest,
  RecordedTokenRequest,
  RecordedUserTokenRequest,
} from './recording-token-acquisition';
export { SIGNED_IN_USER } from './signed-in-user.fixture';
