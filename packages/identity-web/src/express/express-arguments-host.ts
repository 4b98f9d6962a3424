import type { ArgumentsHost } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/**
 * The HTTP `ArgumentsHost` of one Express request, so the library's exception filters (the same
 * classes the Nest module registers) answer errors raised in a plain Express app.
 *
 * @example
 * ```ts
 * errorFilter.catch(err, expressArgumentsHost(req, res, next));
 * ```
 */
export function expressArgumentsHost(req: Request, res: Response, next: NextFunction): ArgumentsHost {
  const args = [req, res, next];
  const http = {
    getRequest: () => req,
    getResponse: () => res,
    getNext: () => next,
  };
  const notHttp = (): never => {
    throw new Error('An Express request has only an HTTP context.');
  };
  return {
    getType: () => 'http',
    getArgs: () => args,
    getArgByIndex: (index: number) => args[index],
    switchToHttp: () => http,
    switchToRpc: notHttp,
    switchToWs: notHttp,
  } as unknown as ArgumentsHost;
}
