import type { Request } from 'express';

/** The caller, as its access token describes it. */
export interface Caller {
  /** Object id of the user, or of the calling app for app tokens. */
  oid: string;
  /** Delegated scopes (`scp`), empty for app tokens. */
  scopes: string[];
  /** App roles (`roles`), for app tokens. */
  roles: string[];
}

/** Requests the bearer guard let through carry their caller, where passport puts it. */
export type AuthenticatedRequest = Request & { user: Caller };
