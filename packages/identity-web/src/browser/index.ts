// nest-identity-web/browser: code for the app's pages, not for Node.
export { createConsentFetch } from './consent-fetch';
export type { ConsentFetchOptions } from './consent-fetch';
