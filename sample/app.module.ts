import { Module } from '@nestjs/common';
import { CookieSessionModule } from 'nest-cookie-session';
import { SESSION_MAX_AGE } from './app-session.js';
import { AuthController } from './auth.controller.js';
import { HomeController } from './home.controller.js';
import { ProfileController } from './profile.controller.js';
import { sessionSecret } from './session-secret.js';
import { UsersModule } from './users.module.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [
    // Global: @Session(), SessionService and req.session work in every module of the app.
    // forRootAsync, so that `validate` can ask the user list.
    CookieSessionModule.forRootAsync({
      imports: [UsersModule],
      inject: [UsersService],
      useFactory: (users: UsersService) => ({
        secret: sessionSecret(),
        // 24 hours after the last renewal. "Remember me" chooses 30 days at login, for that
        // session only: the choice travels in the sealed cookie and survives every renewal.
        maxAge: SESSION_MAX_AGE,
        // Runs before the app sees a session: a logged-in session whose stamp is no longer its
        // user's ("log out everywhere" since) is ended, and the browser gets a cleared cookie.
        validate: (session) =>
          session.user === undefined || users.isCurrent(session.user, session.stamp),
        // The cookie is `Secure` by default (`secure: true`), as production over HTTPS needs, and
        // named `__Host-session` (no Domain, Path=/: no subdomain can set or shadow it). It still
        // works over plain http://localhost in Chrome, Edge and Firefox, which treat localhost as
        // a secure origin (Safari does not: use HTTPS, or secure: 'auto', there). Reached
        // through another name or an IP address over plain HTTP, the browser drops the cookie
        // (the library logs a warning once). Behind a proxy that ends TLS, add `secureProxy: true`.
        // Forms need nothing for CSRF: the module refuses cross-site POSTs by default.
      }),
    }),
    UsersModule,
  ],
  controllers: [HomeController, AuthController, ProfileController],
})
export class AppModule {}
