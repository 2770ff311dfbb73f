import { ForbiddenException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { crossOriginRefusal, type CrossOriginPolicy } from './cookie/cross-origin.js';
import { CSRF_EXEMPT } from './csrf-exempt.decorator.js';

/**
 * Refuses cross-origin browser requests with unsafe methods (403 through Nest's exception
 * layer). Registered as a global guard by the module, with the policy of its `csrf` option;
 * `undefined` when the option is `false`.
 */
export class CrossOriginGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly policy: CrossOriginPolicy | undefined,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (this.policy === undefined || context.getType() !== 'http') return true;
    const exempt = this.reflector.getAllAndOverride<boolean | undefined>(CSRF_EXEMPT, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (exempt) return true;
    const request = context
      .switchToHttp()
      .getRequest<{ raw?: IncomingMessage } & IncomingMessage>();
    // Fastify hands guards its wrapper; the raw Node request carries the headers as sent.
    const raw = request.raw ?? request;
    const refusal = crossOriginRefusal(raw.method ?? '', raw.headers, this.policy);
    if (refusal !== undefined) throw new ForbiddenException(refusal);
    return true;
  }
}
