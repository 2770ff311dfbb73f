import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { CookieSessionModule } from 'nest-cookie-session';
import { AuthController } from './auth.controller.js';
import { HomeController } from './home.controller.js';
import { ProfileController } from './profile.controller.js';
import { RememberMeMiddleware, SESSION_MAX_AGE } from './remember-me.middleware.js';
import { sessionSecret } from './session-secret.js';

@Module({
  imports: [
    // Global: @Session(), SessionService and req.session work in every module of the app.
    CookieSessionModule.forRoot({
      secret: sessionSecret(),
      // 24 hours after the last request (every response renews the cookie). RememberMeMiddleware
      // lengthens it, for one user at a time, through the per-request options.
      maxAge: SESSION_MAX_AGE,
      // The cookie is `Secure` by default (`secure: true`), as production over HTTPS needs — and
      // it still works here over plain http://localhost, because browsers treat localhost as a
      // secure origin and keep Secure cookies from it. Reached through another name or an IP
      // address over plain HTTP, the browser drops the cookie: the library logs a warning once.
      // Behind a proxy that ends TLS, add `secureProxy: true` so X-Forwarded-Proto is trusted.
    }),
  ],
  controllers: [HomeController, AuthController, ProfileController],
})
export class AppModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RememberMeMiddleware).forRoutes('*');
  }
}
