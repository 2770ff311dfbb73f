import { SetMetadata } from '@nestjs/common';

/** Metadata key of `@CsrfExempt()` (read by the cross-origin guard; not part of the API). */
export const CSRF_EXEMPT: unique symbol = Symbol('nest-cookie-session:csrf-exempt');

/**
 * Lets cross-origin requests with unsafe methods (POST, PUT, PATCH, DELETE…) reach a controller
 * or a handler. For routes other sites are meant to call: webhooks, OAuth `form_post` callbacks.
 * Such routes must authenticate the request themselves (a signature, a `state` value), since
 * the browser's session cookie may come with a forged request.
 *
 * @example
 * @Post('webhooks/payments')
 * @CsrfExempt()
 * paymentEvent(@Body() event: PaymentEvent) { … }
 *
 * @example
 * @CsrfExempt()
 * @Controller('oauth')
 * export class OAuthCallbackController { … }
 */
export const CsrfExempt = () => SetMetadata(CSRF_EXEMPT, true);
